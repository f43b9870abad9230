#!/bin/sh
# The command line around the reports: the formats and --manifest of
# analyze, one-line errors, and the man page: it renders without warnings
# and names every command, rules subcommand, option and exit status.
. "$srcdir/tests/lib.sh"
mktmp
man1="$srcdir/faultline.1"
ev="$srcdir/samples/quiet-period/evidence"

out=$("$FAULTLINE" analyze --help)
for f in text json html markdown; do
	case $out in *"$f"*) ok 0 "analyze --help names --format $f" ;;
	*) ok 1 "analyze --help names --format $f" ;; esac
done
case $out in *--manifest*) ok 0 "analyze --help names --manifest" ;;
*) ok 1 "analyze --help names --manifest" ;; esac

"$FAULTLINE" analyze --format pdf "$ev" > /dev/null 2> "$tmp/err"
is "$?" 2 "an unknown format is a usage error"
is "$(wc -l < "$tmp/err" | tr -d ' ')" 1 "one line says so"
grep -q "^faultline analyze: unknown --format 'pdf'" "$tmp/err"
ok $? "it names the format"

if [ -d "$ev" ]; then
	"$FAULTLINE" analyze -q --manifest "$tmp/no/such/dir/m.json" "$ev" \
		> /dev/null 2> "$tmp/err"
	is "$?" 2 "a manifest that cannot be written fails the run"
	grep -q "^faultline: $tmp/no/such/dir/m.json: " "$tmp/err"
	ok $? "one line: faultline: FILE: what went wrong"
	"$FAULTLINE" analyze -q --format markdown -o "$tmp/r.md" \
		--manifest "$tmp/m.json" "$ev" 2> /dev/null
	is "$(sed -n 's/.*"sha256": "\([0-9a-f]*\)"}$/\1/p' "$tmp/m.json" | tail -1)" \
		"$(sha256sum "$tmp/r.md" | cut -d' ' -f1)" \
		"the manifest has the Markdown report's SHA-256"
	grep -q '"command": \["analyze", "-q", "--format", "markdown", "-o"' "$tmp/m.json"
	ok $? "the manifest has the command line as given"
else
	skip "samples/quiet-period is not in this tree"
	skip "samples/quiet-period is not in this tree"
	skip "samples/quiet-period is not in this tree"
	skip "samples/quiet-period is not in this tree"
fi

# Colours in the text report: on a terminal only, never with NO_COLOR,
# never in a file; without them the report is the plain one
if [ -d "$ev" ] && command -v script > /dev/null 2>&1; then
	"$FAULTLINE" analyze -q "$ev" > "$tmp/plain.txt" 2> /dev/null
	script -qec "'$FAULTLINE' analyze -q '$ev'" /dev/null > "$tmp/tty.txt" 2> /dev/null
	grep -q "$(printf '\033')\\[" "$tmp/tty.txt"
	ok $? "colours on a terminal"
	sed 's/\x1b\[[0-9;]*m//g; s/\r$//' "$tmp/tty.txt" > "$tmp/stripped.txt"
	check "without its colours it is the plain report" cmp "$tmp/stripped.txt" "$tmp/plain.txt"
	NO_COLOR=1 script -qec "'$FAULTLINE' analyze -q '$ev'" /dev/null > "$tmp/nc.txt" 2> /dev/null
	! grep -q "$(printf '\033')" "$tmp/nc.txt"
	ok $? "no colours with NO_COLOR set"
	script -qec "'$FAULTLINE' analyze -q -o '$tmp/file.txt' '$ev'" /dev/null > /dev/null 2>&1
	check "no colours in a file" cmp "$tmp/file.txt" "$tmp/plain.txt"
else
	for i in 1 2 3 4; do
		skip "script (util-linux) or samples/quiet-period missing: colours not checked"
	done
fi

# The man page renders cleanly
if command -v man > /dev/null 2>&1; then
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man1" > "$tmp/man.txt" 2> "$tmp/manerr"
	ok $? "man ./faultline.1 renders"
	is "$(cat "$tmp/manerr")" "" "without warnings"
	grep -q "^EXIT STATUS" "$tmp/man.txt"
	ok $? "it has an exit status section"
else
	skip "man is not installed (apt-get install man-db)"
	skip "man is not installed (apt-get install man-db)"
	skip "man is not installed (apt-get install man-db)"
fi
for c in analyze timeline sources scan "rules list" "rules lint" "rules test" "rules match"; do
	grep -q "^\.B $c\$" "$man1"
	ok $? "the man page describes '$c'"
done
# every option of every command's --help, as the man page writes it
for c in analyze timeline sources scan rules; do
	for o in $("$FAULTLINE" $c --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		m=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$m" "$man1"
		ok $? "the man page documents $c $o"
	done
done
for s in 0 1 2 3 4; do
	sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$man1" | grep -q "^\.B $s\$"
	ok $? "the man page documents exit status $s"
done
done_testing
