#!/bin/sh
# Hostile lines: a 100 MB line, a file of NUL bytes, random bytes, invalid
# UTF-8 and terminal escape sequences. Each is read within 60 s and 1.5 GB,
# counted (lines == parsed + unparsed), and none of its control bytes reach
# the output raw: no ESC (\033) in any output of sources or timeline.
. "$srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp
cd "$tmp" || exit 99

asan=no
{ ldd "$FAULTLINE" 2>/dev/null | grep -q libasan || grep -q __asan_init "$FAULTLINE"; } && asan=yes
limited() {
	if [ $asan = yes ]; then timeout 60 "$@"; else
		(ulimit -v 1572864 && exec timeout 60 "$@"); fi
}
member() { # member FILE.json FIELD: that field of the only member
	jq -r ".inputs[0].members[0].$2" "$1"
}
balanced() { # lines == parsed + unparsed for every member
	jq -e '[.inputs[].members[] | select(.lines != .parsed + .unparsed)] | length == 0' "$1" >/dev/null
}
esc=$(printf '\033')
no_esc() { # no_esc FILE...: no ESC byte in any of them
	! grep -q "$esc" "$@"
}

# A 100 MB line between two ordinary ones: its head is kept, the rest is
# skipped and counted, and memory stays at the line limit.
{
	echo "Aug  3 09:41:12 srv sshd[1]: before"
	head -c 100000000 /dev/zero | tr '\0' A
	echo
	echo "Aug  3 09:41:13 srv sshd[1]: after"
} > long.log
limited "$FAULTLINE" sources -q --format json long.log > long.json 2> err
is $? 0 "a 100 MB line is not damage"
is "$(member long.json lines)/$(member long.json long_lines)" 3/1 "three lines, one truncated"
check "long line: counted" balanced long.json
is "$(member long.json bytes)" "$(wc -c < long.log | tr -d ' ')" "every byte counted"
limited "$FAULTLINE" timeline -q --all long.log > long.out 2> err
check "the line after it is kept" grep -q 'srv sshd: after  (long.log:3)' long.out
is "$(grep 'long.log:2)$' long.out | grep -o 'AAAA*' | wc -c | tr -d ' ')" 65537 "the long line is cut at --max-line (65536 bytes)"
rm -f long.log

# 50 MB of NUL bytes: one line, kept and flagged, not taken for an archive.
head -c 50000000 /dev/zero > nul.log
limited "$FAULTLINE" sources -q --format json nul.log > nul.json 2> err
is $? 0 "a file of NUL bytes is not damage"
is "$(member nul.json lines)/$(member nul.json nul_lines)/$(member nul.json unparsed)" 1/1/1 "one NUL line, unparsed"
rm -f nul.log

# Random bytes (a leading 'x' keeps them from looking like a compression).
{ printf x; head -c 2000000 /dev/urandom; } > random.bin
limited "$FAULTLINE" sources -q --format json random.bin > random.json 2> err
is $? 0 "random bytes are read as lines"
check "random bytes: counted" balanced random.json
ok "$([ "$(member random.json invalid_utf8_lines)" -gt 0 ]; echo $?)" "random bytes: invalid UTF-8 lines flagged"
check "random bytes: the JSON is valid" jq -e . random.json
limited "$FAULTLINE" timeline -q --all -f jsonl random.bin > random.jsonl 2> err
is $? 0 "random bytes: timeline --all"
is "$(jq -c . random.jsonl | wc -l | tr -d ' ')" "$(member random.json lines)" "every line is a valid JSON record"
check "random bytes: no ESC in the timeline" no_esc random.jsonl

# Terminal escapes (OSC title, screen clear, colour, reset) in the message,
# the host and an unparsed line; invalid UTF-8 and C1 controls.
printf 'Aug  3 09:41:12 srv sshd[1]: Failed password for \033]0;pwned\007root\033[2J from 10.0.0.1 port 22 ssh2\n' > esc.log
printf 'Aug  3 09:41:13 srv\033[31m sshd[1]: x\033c\n' >> esc.log
printf '\033[1;1H\033[2Jraw line \302\233 \377\376\n' >> esc.log
printf 'Aug  3 09:41:14 srv su[2]: FAILED SU (to root) \033[8mhidden\033[0m on pts/0\n' >> esc.log
limited "$FAULTLINE" sources -q --format json esc.log > esc.json 2> err
is $? 0 "escape sequences are not damage"
is "$(member esc.json lines)/$(member esc.json parsed)/$(member esc.json unparsed)" 4/3/1 "escapes: counted"
check "escapes: the JSON is valid" jq -e . esc.json
for f in text jsonl csv; do
	limited "$FAULTLINE" timeline --all -f "$f" esc.log > "esc.$f" 2> "esc.$f.err"
	check "timeline --all -f $f: no ESC on stdout or stderr" no_esc "esc.$f" "esc.$f.err"
	check "timeline --all -f $f: every line is there" test "$(grep -c . "esc.$f")" -ge 4
done
limited "$FAULTLINE" timeline esc.log > esc.hits 2> err
check "timeline: the rule hit is reported, escaped" grep -q 'Failed password for \\x1b\]0;pwned\\x07root' esc.hits
check "timeline: no ESC in rule hits" no_esc esc.hits err
limited "$FAULTLINE" sources esc.log > esc.sources 2> err
check "sources: no ESC" no_esc esc.sources err
check "jsonl: escapes kept as \\u001b, nothing lost" grep -q 'pwned\\u0007root\\u001b\[2J' esc.jsonl
check "csv: C1 control and invalid UTF-8 escaped" grep -q 'raw line \\xc2\\x9b \\xff\\xfe' esc.csv

# The analysis report cites hostile text too: a PDU account name carrying
# HTML and an OSC sequence, in the sabotage sample, must come out escaped
# in every format (HTML entities in html, nothing raw anywhere).
set_dir=$srcdir/samples/pdu-outlet-sabotage/evidence
if [ -d "$set_dir" ] && "$FAULTLINE" analyze --help >/dev/null 2>&1; then
	cp -R "$set_dir" sab
	sed "s/tmoreau/t<script>alert(1)<\/script>${esc}]0;x$(printf '\007')moreau/" \
	    "$set_dir/power/pdu-a3.csv" > sab/power/pdu-a3.csv
	for f in text json html markdown; do
		limited "$FAULTLINE" analyze -q -j 2 --tz Europe/Paris -f $f sab > "sab.$f" 2> "sab.$f.err"
		is $? 3 "analyze -f $f: sabotage, with the hostile name"
		check "analyze -f $f: no ESC" no_esc "sab.$f" "sab.$f.err"
	done
	check "analyze -f json: the name is kept, escaped" grep -qF 't<script>alert(1)</script>\u001b]0;x\u0007moreau' sab.json
	check "analyze -f html: no markup from the evidence" sh -c "! grep -q '<script>alert' sab.html"
	check "analyze -f html: the name is shown as text" grep -qF 't&lt;script&gt;alert(1)&lt;/script&gt;\x1b]0;x\x07moreau' sab.html
else
	for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "no analyze or no sample set"; done
fi

# Dates far from now: every line is counted in its stream; activity is
# placed in time only within 2,000 years of 1970, so year 9999 is not.
printf '2024-08-02T10:00:00Z web-01 app: ok\n9999-12-31T23:59:59Z web-01 app: far future\n0001-01-01T00:00:00Z web-01 app: far past\n2048-06-04T03:00:14Z web-01 app: after 2038\n' > far.log
"$FAULTLINE" analyze -q --format json far.log > far.json 2> far.err
# one application log, no authentication log: not enough to say nothing
# happened
is $? 4 "lines dated in years 1, 2048 and 9999 are analysed (inconclusive)"
is "$(jq -r '.inputs[0].members[0].lines' far.json)" 4 "all four lines are counted in the stream"
is "$(jq -r '.hosts[0].lines' far.json)" 3 "three are placed in the host's activity"
is "$(jq -r '.hosts[0].last' far.json)" "2048-06-04T03:00:14Z" "the last one, after 2038, to its second"
is "$(jq -r '.inputs[0].members[0].last' far.json)" "9999-12-31T23:59:59.000000Z" "the stream keeps the date as read"

done_testing
