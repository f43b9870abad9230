#!/bin/sh
# The HTML report of every sample set is well-formed XML (xmllint, Debian
# package libxml2-utils) and self-contained (nothing fetched: no external
# src/href, stylesheet, script or import); the manifest written with it
# records the report's SHA-256 and size as written, and every input with
# its digest; the Markdown report of every set is written.
. "$srcdir/tests/lib.sh"
command -v jq > /dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp
have_xmllint=1
command -v xmllint > /dev/null 2>&1 || have_xmllint=0

sets=
for e in "$srcdir"/samples/*/expected.json; do
	[ -f "$e" ] && sets="$sets $(basename "$(dirname "$e")")"
done
check "sample sets are present" test -n "$sets"

for s in $sets; do
	ev="$srcdir/samples/$s/evidence"
	eval "set -- $(jq -r '.args | @sh' "$srcdir/samples/$s/expected.json")"
	# a set that ships its inventory gets the lanes grouped by rack
	[ -f "$ev/inventory" ] && set -- "$@" --inventory "$ev/inventory"
	html="$tmp/$s.html"
	man="$tmp/$s.manifest.json"
	"$FAULTLINE" analyze -q --format html -o "$html" --manifest "$man" \
		"$@" "$ev" 2> "$tmp/err"
	rc=$?
	case $rc in
	0|3|4) ok 0 "$s: HTML report written (exit $rc)" ;;
	*) ok 1 "$s: HTML report written (exit $rc)"
	   sed 's/^/#   /' "$tmp/err" | head -10; continue ;;
	esac
	if [ "$have_xmllint" = 1 ]; then
		if xmllint --noout "$html" 2> "$tmp/xml"; then
			ok 0 "$s: well-formed (xmllint)"
		else
			ok 1 "$s: well-formed (xmllint)"
			head -10 "$tmp/xml" | sed 's/^/#   /'
		fi
	else
		skip "$s: xmllint is not installed (apt-get install libxml2-utils)"
	fi
	if grep -Eiq '(src|href|xlink:href)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*(https?:|//|ftp:|file:)' "$html" ||
	    grep -Eiq '<link[[:space:]>]|<script[^>]*src|<iframe|<img|<object|<embed|@import|url\([[:space:]]*["'"'"']?[[:space:]]*(https?:|//)' "$html"; then
		ok 1 "$s: self-contained"
		grep -Eion '(src|href)=.(https?:|//)|<link|<script[^>]*src|@import|url\(.?(https?:|//)' "$html" | head -5 | sed 's/^/#   /'
	else
		ok 0 "$s: self-contained"
	fi
	is "$(jq -r .schema "$man" 2> /dev/null)" "faultline/manifest/v1" \
		"$s: manifest schema"
	is "$(jq -r .report.sha256 "$man" 2> /dev/null)" \
		"$(sha256sum "$html" | cut -d' ' -f1)" \
		"$s: manifest has the SHA-256 of the report as written"
	is "$(jq -r .report.bytes "$man" 2> /dev/null)" \
		"$(wc -c < "$html" | tr -d ' ')" "$s: manifest has its size"
	is "$(jq -r '[.inputs[] | select(.status == "ok" and (.sha256 | length) != 64)] | length' "$man" 2> /dev/null)" \
		0 "$s: every input read has its SHA-256 in the manifest"
	"$FAULTLINE" analyze -q --format markdown "$@" "$ev" > "$tmp/$s.md" 2> /dev/null
	is "$(head -c 14 "$tmp/$s.md")" "# Post-mortem:" "$s: Markdown report written"
done

# the same run writes the same manifest and report (no wall-clock time)
s=$(echo $sets | cut -d' ' -f1)
if [ -n "$s" ]; then
	ev="$srcdir/samples/$s/evidence"
	eval "set -- $(jq -r '.args | @sh' "$srcdir/samples/$s/expected.json")"
	"$FAULTLINE" analyze -q --format html -o "$tmp/again.html" \
		--manifest "$tmp/again.json" "$@" "$ev" 2> /dev/null
	check "$s: the report is the same twice" cmp "$tmp/$s.html" "$tmp/again.html"
	sed 's/again\.html/'"$s"'.html/' "$tmp/again.json" | \
		sed 's/again\.json/'"$s"'.manifest.json/' > "$tmp/again2.json"
	check "$s: the manifest is the same twice" cmp "$tmp/$s.manifest.json" "$tmp/again2.json"
fi
done_testing
