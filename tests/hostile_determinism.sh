#!/bin/sh
# Deterministic output: sources and timeline give byte-identical output
# over the bundled samples with -j 1 and -j 2, across two runs, under
# LC_ALL=C and C.UTF-8 (when the system has it) and whatever TZ says.
. "$srcdir/tests/lib.sh"
mktmp
sets=$(ls -d "$srcdir"/samples/*/evidence 2>/dev/null)
[ -n "$sets" ] || { echo "1..0 # SKIP no sample sets under $srcdir/samples"; exit 0; }
one=$(echo "$sets" | head -1)

# run NAME JOBS [VAR=VALUE...]: the three outputs into $tmp/NAME.*
run() {
	name=$1 jobs=$2
	shift 2
	env "$@" "$FAULTLINE" sources -q -j "$jobs" --format json $sets > "$tmp/$name.sources" 2>&1
	env "$@" "$FAULTLINE" timeline -q -j "$jobs" -f jsonl $sets > "$tmp/$name.timeline" 2>&1
	env "$@" "$FAULTLINE" timeline -q -j "$jobs" --all "$one" > "$tmp/$name.all" 2>&1
}
same() { # same A B DESCRIPTION
	for k in sources timeline all; do
		check "$3: $k identical" cmp "$tmp/$1.$k" "$tmp/$2.$k"
	done
}

run j1 1
check "the outputs are there" test "$(grep -c '"path"' "$tmp/j1.sources")" -gt 100 -a "$(wc -l < "$tmp/j1.timeline")" -gt 1000 -a "$(wc -l < "$tmp/j1.all")" -gt 1000
run j2 2
same j1 j2 "-j 1 and -j 2"
run j2b 2
same j2 j2b "two runs"
if locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
	utf=$(locale -a | grep -i '^c\.utf-\?8$' | head -1)
	run utf 2 LC_ALL="$utf"
	same j1 utf "LC_ALL=C and LC_ALL=$utf"
else
	for k in 1 2 3; do skip "no C.UTF-8 locale"; done
fi
run tz 2 TZ=America/New_York
same j1 tz "TZ=UTC and TZ=America/New_York"

done_testing
