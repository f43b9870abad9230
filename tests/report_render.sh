#!/bin/sh
# A real browser renders the HTML report: Debian's chromium, headless,
# takes a screenshot of the flagship sample set and of an attack; each PNG
# must be the size asked and far from blank. Skips when no chromium is
# installed (apt-get install chromium).
. "$srcdir/tests/lib.sh"
mktmp
browser=
for b in chromium chromium-browser google-chrome; do
	if command -v "$b" > /dev/null 2>&1; then browser=$b; break; fi
done
for s in hospital-power-outage stolen-admin-wiper; do
	if [ -z "$browser" ]; then
		skip "$s: no chromium installed, the HTML report is not rendered (apt-get install chromium)"
		continue
	fi
	if [ ! -d "$srcdir/samples/$s/evidence" ]; then
		skip "$s: sample set not in this tree"
		continue
	fi
	"$FAULTLINE" analyze -q --tz Europe/Paris --format html -o "$tmp/$s.html" \
		"$srcdir/samples/$s/evidence" 2> /dev/null
	# no network, no profile, nothing kept
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile-$s" --screenshot="$tmp/$s.png" \
		--window-size=1400,2000 "file://$tmp/$s.html" > "$tmp/log" 2>&1
	if [ ! -s "$tmp/$s.png" ]; then
		ok 1 "$s: chromium rendered a screenshot"
		tail -5 "$tmp/log" | sed 's/^/#   /'
		continue
	fi
	ok 0 "$s: chromium rendered a screenshot"
	# PNG signature, then the IHDR width and height (big-endian)
	is "$(od -An -tx1 -N8 "$tmp/$s.png" | tr -d ' \n')" "89504e470d0a1a0a" \
		"$s: the screenshot is a PNG"
	is "$(od -An -tu1 -j16 -N8 "$tmp/$s.png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')" \
		"1400x2000" "$s: the screenshot is 1400x2000"
	size=$(wc -c < "$tmp/$s.png" | tr -d ' ')
	# a blank page compresses to a few kilobytes; the report's timeline
	# alone is hundreds
	if [ "$size" -gt 100000 ]; then
		ok 0 "$s: the screenshot shows a page ($size bytes)"
	else
		ok 1 "$s: the screenshot shows a page ($size bytes)"
	fi
done
done_testing
