#!/bin/sh
# The partial-result format (version 3): strings that are not found in
# their raw line come back exactly; a damaged part is refused saying at
# which byte of its content; a part of an earlier version is refused saying
# to scan again; parts stay small.
. "$srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp

# journalctl -o json: an escaped message, and one given as bytes; neither
# is in its line as such.
cat > "$tmp/journal.json" <<'E'
{"__REALTIME_TIMESTAMP":"1722676872123456","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"sshd","_PID":"4242","PRIORITY":"6","MESSAGE":"Failed password for \"root\" from 203.0.113.9 port 2222 ssh2"}
{"__REALTIME_TIMESTAMP":"1722676873000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"sshd","_PID":"4242","PRIORITY":"6","MESSAGE":[70,97,105,108,101,100,32,112,97,115,115,119,111,114,100,32,102,111,114,32,114,111,111,116,32,102,114,111,109,32,49,46,50,46,51,46,52,32,112,111,114,116,32,50,50,32,115,115,104,50]}
E
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/journal.json" > "$tmp/whole.jsonl"
is "$(jq -r '. as $e | $e.raw | contains($e.message)' "$tmp/whole.jsonl" | tr '\n' ' ')" "false false " "(the messages are not in their lines as such)"
"$FAULTLINE" scan -q --all -o "$tmp/j.flp" "$tmp/journal.json"
ok $? "scan writes a part of the journal"
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/j.flp" > "$tmp/part.jsonl"
check "messages and captures absent from their lines come back exactly" cmp -s "$tmp/whole.jsonl" "$tmp/part.jsonl"

# Damage: cut short, and data after the end marker.
ev="$srcdir/samples/quiet-period/evidence"
"$FAULTLINE" scan -q --tz Europe/Paris -o "$tmp/q.flp" "$ev"
size=$(gzip -dc "$tmp/q.flp" | wc -c | tr -d ' ')
gzip -dc "$tmp/q.flp" | head -c 3000 | gzip > "$tmp/cut.flp"
"$FAULTLINE" timeline -q --tz Europe/Paris "$tmp/cut.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a part cut short is refused"
at=$(sed -n 's/.*damaged partial result at byte \([0-9]*\) of its content (.*: cut short)$/\1/p' "$tmp/err")
check "the refusal says at which byte it broke, no further than the cut" test -n "$at" -a "${at:-9999}" -le 3000
{ gzip -dc "$tmp/q.flp"; printf 'more'; } | gzip > "$tmp/long.flp"
"$FAULTLINE" timeline -q --tz Europe/Paris "$tmp/long.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a part with data after its end is refused"
check "the refusal says where: right after the end marker" grep -q "damaged partial result at byte $size of its content (end marker: data after it)" "$tmp/err"
head -c 1000 "$tmp/q.flp" > "$tmp/gzcut.flp"
"$FAULTLINE" timeline -q --tz Europe/Paris "$tmp/gzcut.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a part whose gzip stream is cut short is refused"
check "the refusal says damaged" grep -q "damaged partial result at byte" "$tmp/err"

# Version 1.
printf 'FAULTLINE-PART\n\001\000\000\000\004\000\000\000v1;x' | gzip > "$tmp/v1.flp"
"$FAULTLINE" timeline -q "$tmp/v1.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a version 1 part is refused"
check "the refusal says which version and to scan again" grep -q "v1.flp: part format version 1; this faultline reads version 4: scan again" "$tmp/err"
"$FAULTLINE" timeline -q "$srcdir/tests/regress/part/mtime-overflow" > /dev/null 2> "$tmp/err"
check "so is a version 1 part as written by version 1" grep -q "part format version 1; this faultline reads version 4" "$tmp/err"

# Size on the hospital sample: version 1 wrote 54 bytes per kept event,
# version 2 19.5 (1.28% of the logs).
ev="$srcdir/samples/hospital-power-outage/evidence"
"$FAULTLINE" scan -q --tz Europe/Paris -o "$tmp/h.flp" "$ev"
bytes=$(wc -c < "$tmp/h.flp" | tr -d ' ')
events=$("$FAULTLINE" timeline -q --tz Europe/Paris --format jsonl "$tmp/h.flp" | wc -l | tr -d ' ')
logs=$("$FAULTLINE" sources -q --format json "$ev" | jq '[.inputs[].members[]?.bytes] | add')
echo "# hospital: part $bytes bytes, $events kept events, $logs bytes of logs"
check "the hospital part holds its events in under 16 bytes each" test "$bytes" -lt $((events * 16))
check "the hospital part is under 1% of its logs" test $((bytes * 100)) -lt "$logs"
done_testing
