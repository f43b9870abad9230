#!/bin/sh
# Every bundled sample set is readable: `faultline sources` exits 0, every
# stream has lines and no read error, and every line is parsed.
. "$srcdir/tests/lib.sh"
command -v jq > /dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp

sets=
for d in "$srcdir"/samples/*/evidence; do
	[ -d "$d" ] && sets="$sets $(basename "$(dirname "$d")")"
done
check "sample sets are present under $srcdir/samples" test -n "$sets"

if ! "$FAULTLINE" sources --help > /dev/null 2>&1; then
	for s in $sets; do
		skip "$s: 'faultline sources' is not available in this build"
	done
	done_testing
	exit
fi

# Streams of the report: one object per member of every input, with the
# input's path in front ("input!member"). The DCIM inventory is not a log.
streams='[.inputs[] | . as $i | (.members // [])[] | . + {where: ($i.path + "!" + .path)}]'
for s in $sets; do
	ev="$srcdir/samples/$s/evidence"
	out="$tmp/$s.json"
	"$FAULTLINE" sources --format json "$ev" > "$out" 2> "$tmp/$s.err"
	is "$?" 0 "$s: sources exits 0"
	is "$(jq -r "$streams | length > 0" "$out")" true "$s: streams found"
	# A site inventory is listed as skipped: it is not a log.
	is "$(jq -r '[.inputs[] | select((.status != "ok" or .error != null) and (.path | endswith("/inventory") | not)) | .path] | join(" ")' "$out")" "" \
		"$s: every input read completely"
	is "$(jq -r "$streams | map(select(.lines == 0 or ((.errors // []) | length) > 0) | .where) | join(\" \")" "$out")" "" \
		"$s: every stream has lines and no errors"
	if jq -e "$streams | all(has(\"unparsed\"))" "$out" > /dev/null; then
		is "$(jq -r "$streams | map(select(.unparsed > 0 and (.where | endswith(\"/inventory!\") | not)) | \"\\(.where) (\\(.unparsed))\") | join(\" \")" "$out")" "" \
			"$s: every line parsed"
	else
		skip "$s: sources does not report parsed/unparsed counts yet"
	fi
done
done_testing
