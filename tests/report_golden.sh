#!/bin/sh
# Golden reports: the text and Markdown reports of two sample sets, made
# with the options in their expected.json, compared with
# tests/golden/report/SET.txt and SET.md. After a deliberate change of the
# analysis or of a view, rewrite them with
#   FL_GOLDEN_UPDATE=1 make check TESTS=tests/report_golden.sh
# and review the diff before committing it.
. "$srcdir/tests/lib.sh"
command -v jq > /dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp
gold="$srcdir/tests/golden/report"

for s in hospital-power-outage pdu-outlet-sabotage; do
	exp="$srcdir/samples/$s/expected.json"
	if [ ! -f "$exp" ]; then
		skip "$s: sample set not in this tree"
		skip "$s: sample set not in this tree"
		continue
	fi
	eval "set -- $(jq -r '.args | @sh' "$exp")"
	for fmt in text markdown; do
		ext=txt
		[ "$fmt" = markdown ] && ext=md
		# relative paths, so the reports name the inputs the same way
		# wherever the tree is
		(cd "$srcdir" && "$FAULTLINE" analyze -q --format "$fmt" "$@" \
			"samples/$s/evidence") > "$tmp/out" 2> "$tmp/err"
		rc=$?
		case $rc in 0|3|4) ;; *)
			ok 1 "$s: $fmt report (exit $rc)"
			sed 's/^/#   /' "$tmp/err" | head -10
			continue ;;
		esac
		if [ -n "$FL_GOLDEN_UPDATE" ]; then
			cp "$tmp/out" "$gold/$s.$ext"
			ok 0 "$s: $fmt report written to tests/golden/report/$s.$ext"
		elif diff -u "$gold/$s.$ext" "$tmp/out" > "$tmp/diff"; then
			ok 0 "$s: $fmt report matches tests/golden/report/$s.$ext"
		else
			ok 1 "$s: $fmt report matches tests/golden/report/$s.$ext"
			head -60 "$tmp/diff" | sed 's/^/#   /'
		fi
	done
done
done_testing
