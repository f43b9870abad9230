#!/bin/sh
# End-to-end tests of `faultline sources`: inventory, chain of custody,
# accounting, damaged and missing inputs, exit statuses.
. "$srcdir/tests/lib.sh"
mktmp

mkdir -p "$tmp/ev/srv-a/var/log" "$tmp/ev/power"
printf 'Aug  3 09:41:12 srv-a sshd[100]: Accepted publickey for ops from 10.0.0.5 port 50000 ssh2\nAug  3 09:41:13 srv-a CRON[101]: (root) CMD (true)\n\x01\x02binary junk\n' > "$tmp/ev/srv-a/var/log/syslog"
touch -d '2024-08-03 10:00:00 UTC' "$tmp/ev/srv-a/var/log/syslog"
printf '2024-08-03 09:52:10 +0200  Power failure.\n2024-08-03 09:52:16 +0200  Running on UPS batteries.\n' > "$tmp/ev/power/ups-a.events"
(cd "$tmp/ev/srv-a" && tar -czf ../srv-a.tar.gz var) && rm -rf "$tmp/ev/srv-a"

"$FAULTLINE" sources --format json "$tmp/ev" > "$tmp/out.json" 2> "$tmp/err"
ok $? "sources exits 0 on readable evidence"
check "the JSON is valid" jq -e . "$tmp/out.json"
is "$(jq -r .schema "$tmp/out.json")" "faultline/sources/v1" "schema name"
is "$(jq -r '.inputs | length' "$tmp/out.json")" 2 "two inputs found in the directory"
is "$(jq -r '.inputs[0].path' "$tmp/out.json")" "$tmp/ev/power/ups-a.events" "directories are walked in sorted order"
want=$(sha256sum "$tmp/ev/srv-a.tar.gz" | cut -d' ' -f1)
is "$(jq -r '.inputs[1].sha256' "$tmp/out.json")" "$want" "SHA-256 matches sha256sum"
is "$(jq -r '.inputs[1].bytes' "$tmp/out.json")" "$(stat -c %s "$tmp/ev/srv-a.tar.gz")" "size on disk"
is "$(jq -r '.inputs[1].members[0].path' "$tmp/out.json")" "var/log/syslog" "member path inside the tarball"
is "$(jq -r '.inputs[1].members[0].lines' "$tmp/out.json")" 3 "member line count"
is "$(jq -r '.inputs[1].members[0] | .parsed + .unparsed == .lines' "$tmp/out.json")" true "parsed + unparsed == lines"
is "$(jq -r '.inputs[1].members[0].unparsed' "$tmp/out.json")" 1 "binary junk is counted as unparsed"
is "$(jq -r '.inputs[1].members[0].host' "$tmp/out.json")" srv-a "host from the lines"
is "$(jq -r '.inputs[1].members[0].first' "$tmp/out.json")" "2024-08-03T09:41:12.000000Z" "year inferred from the member mtime"
is "$(jq -r '.inputs[0].members[0].host' "$tmp/out.json")" ups-a "host of a device log from its file name"
is "$(jq -r '.inputs[0].members[0].first' "$tmp/out.json")" "2024-08-03T07:52:10.000000Z" "offset in the line wins"

"$FAULTLINE" sources "$tmp/ev" "$tmp/missing.log" > "$tmp/out.txt" 2> "$tmp/err"
is $? 1 "exit 1 when one input is missing"
check "the missing file is named on stderr" grep -q "missing.log" "$tmp/err"
check "the report still lists the readable inputs" grep -q "srv-a.tar.gz" "$tmp/out.txt"

"$FAULTLINE" sources "$tmp/missing.log" > /dev/null 2>&1
is $? 2 "exit 2 when nothing at all could be read"

printf 'Aug  3 09:41:12 srv-b kernel: one\nAug  3 09:41:13 srv-b kernel: two\n' | gzip > "$tmp/trunc.gz"
head -c 30 "$tmp/trunc.gz" > "$tmp/t.gz"
"$FAULTLINE" sources --format json "$tmp/t.gz" > "$tmp/t.json" 2> "$tmp/err"
is $? 1 "exit 1 for a truncated gzip file"
check "the damage is reported in the JSON" jq -e '.inputs[0].members[0].errors | length > 0' "$tmp/t.json"
check "the damage is reported on stderr with the file name" grep -q "t.gz" "$tmp/err"

printf 'host srv-a rack=R1 psu=pdu-a:1\n' > "$tmp/ev/inventory"
"$FAULTLINE" sources -q --format json "$tmp/ev" > "$tmp/inv.json"
is $? 0 "a site inventory among the evidence does not make the run fail"
is "$(jq -r '.inputs[] | select(.path | endswith("/inventory")) | .status' "$tmp/inv.json")" skipped "the inventory is listed as skipped, not read as a log"
rm "$tmp/ev/inventory"

# Every command asks each input whether it is a part file before reading
# it as evidence; neither look changes its access time.
printf 'Jan  1 00:00:00 h app: x\n' > "$tmp/at.log"
old=$(date -d '2020-01-01 UTC' +%s)
stale() { touch -m -d '2021-01-01 UTC' "$tmp/at.log" && touch -a -d '2020-01-01 UTC' "$tmp/at.log"; }
stale && cat "$tmp/at.log" > /dev/null
if [ "$(stat -c %X "$tmp/at.log")" != "$old" ]; then
	stale
	"$FAULTLINE" sources -q "$tmp/at.log" > /dev/null
	is "$(stat -c %X "$tmp/at.log")" "$old" "reading an input leaves its access time"
else
	skip "this file system does not record reads"
fi

"$FAULTLINE" sources --format yaml "$tmp/ev" > /dev/null 2>&1
is $? 2 "unknown format is a usage error"
"$FAULTLINE" sources --help > "$tmp/help" 2>&1
ok $? "--help exits 0"
check "--help describes the exit status" grep -q "Exit status" "$tmp/help"
"$FAULTLINE" sources > /dev/null 2>&1
is $? 2 "no PATH is a usage error"

# A FIFO given as evidence is skipped, not waited on for a writer.
mkfifo "$tmp/fifo"
timeout 30 "$FAULTLINE" sources "$tmp/fifo" > "$tmp/out" 2>&1
is $? 2 "a FIFO alone: nothing readable, and no hang"
check "the FIFO is named as skipped" grep -q "not a regular file (FIFO)" "$tmp/out"
done_testing
