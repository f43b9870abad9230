#!/bin/sh
# End-to-end tests of `faultline timeline`: order across files, year
# inference across New Year, zones, Timesketch CSV and JSONL, filters.
. "$srcdir/tests/lib.sh"
mktmp

mkdir -p "$tmp/ev"
# Two hosts; host b logs Paris local time without an offset.
printf 'Dec 31 23:59:58 a app[1]: before new year\nJan  1 00:00:02 a app[1]: after new year\n' > "$tmp/ev/a.log"
touch -d '2025-01-01 00:10:00 UTC' "$tmp/ev/a.log"
printf 'Jan  1 01:00:00 b app[2]: paris midnight hour plus one\n' > "$tmp/ev/b.log"
touch -d '2025-01-01 00:10:00 UTC' "$tmp/ev/b.log"

"$FAULTLINE" timeline --all --no-default-rules --format jsonl --tz-host b=Europe/Paris "$tmp/ev" > "$tmp/out.jsonl" 2> "$tmp/err"
ok $? "timeline --all exits 0"
is "$(wc -l < "$tmp/out.jsonl" | tr -d ' ')" 3 "one event per line"
is "$(jq -r .time "$tmp/out.jsonl" | tr '\n' ' ')" "2024-12-31T23:59:58.000000Z 2025-01-01T00:00:00.000000Z 2025-01-01T00:00:02.000000Z " "time order across files, year rolled back at New Year, Paris converted"
is "$(jq -r 'select(.host=="b") | .time_quality' "$tmp/out.jsonl")" "year-inferred,zone-assumed" "time quality says how the time was obtained"
check "time evidence names the zone and its source" sh -c "jq -r 'select(.host==\"b\") | .time_evidence' '$tmp/out.jsonl' | grep -q 'Europe/Paris (tz-host)'"
is "$(jq -r 'select(.host=="a") | .line' "$tmp/out.jsonl" | tr '\n' ' ')" "1 2 " "provenance line numbers"
is "$(jq -r '.input' "$tmp/out.jsonl" | head -n 1)" "$tmp/ev/a.log" "provenance input"

"$FAULTLINE" timeline --all --no-default-rules --format csv "$tmp/ev/a.log" > "$tmp/out.csv"
ok $? "timeline csv exits 0"
is "$(head -n 1 "$tmp/out.csv")" "message,datetime,timestamp_desc,timestamp,host,program,pid,facility,severity,time_quality,signal,category,rule,fields,input,member,line,offset" "Timesketch CSV header"
is "$(sed -n 2p "$tmp/out.csv")" "\"before new year\",\"2024-12-31T23:59:58.000000Z\",\"Log line\",1735689598000000,\"a\",\"app\",\"1\",\"\",\"\",\"year-inferred,zone-assumed\",\"\",\"\",\"\",\"\",\"$tmp/ev/a.log\",\"\",1,0" "Timesketch CSV row, field by field"
printf '%s\n' 'Mar  1 10:00:00 web-01 app[1]: =HYPERLINK("http://x","y")' \
    'Mar  1 10:00:01 web-01 app[1]: @SUM(1+1)' 'Mar  1 10:00:02 web-01 app[1]: a=b' \
    > "$tmp/formula.log"
"$FAULTLINE" timeline --all --no-default-rules --format csv "$tmp/formula.log" |
    cut -d, -f1 > "$tmp/formula.csv"
is "$(sed -n 2p "$tmp/formula.csv")" '"'"'"'=HYPERLINK(""http://x""' "CSV: a cell starting like a formula is quoted as text"
is "$(sed -n 3p "$tmp/formula.csv")" '"'"'"'@SUM(1+1)"' "CSV: so is one starting with @"
is "$(sed -n 4p "$tmp/formula.csv")" '"a=b"' "CSV: other cells are left as they are"
is "$("$FAULTLINE" timeline --all --no-default-rules --format jsonl "$tmp/formula.log" | head -n 1 | jq -r .message)" \
    '=HYPERLINK("http://x","y")' "JSONL keeps the message as it is"

"$FAULTLINE" timeline --all --no-default-rules --format jsonl --since 2025-01-01T00:00:01Z "$tmp/ev" > "$tmp/since.jsonl"
is "$(wc -l < "$tmp/since.jsonl" | tr -d ' ')" 2 "--since filters by UTC time"
"$FAULTLINE" timeline --all --no-default-rules --format jsonl --host b "$tmp/ev" > "$tmp/host.jsonl"
is "$(jq -r .host "$tmp/host.jsonl" | sort -u)" b "--host keeps one host"
"$FAULTLINE" timeline --all --no-default-rules --format jsonl --year 2019 "$tmp/ev/a.log" > "$tmp/year.jsonl"
is "$(jq -r .time "$tmp/year.jsonl" | tr '\n' ' ')" "2018-12-31T23:59:58.000000Z 2019-01-01T00:00:02.000000Z " "--year sets the newest line's year"

# Rotated files are dated each on its own: without --year by their mtimes,
# with it the newest line of each gets the year, the older file marked.
mkdir -p "$tmp/yr"
printf 'Dec 31 23:59:00 h app[1]: older\n' > "$tmp/yr/syslog.1"
printf 'Jan  2 10:00:00 h app[1]: newest\n' > "$tmp/yr/syslog"
touch -d '2024-01-01 00:00 UTC' "$tmp/yr/syslog.1"
touch -d '2024-01-02 10:00 UTC' "$tmp/yr/syslog"
"$FAULTLINE" timeline -q --all --no-default-rules --format jsonl "$tmp/yr" > "$tmp/yr.jsonl"
is "$(jq -r '.time' "$tmp/yr.jsonl" | tr '\n' ' ')" "2023-12-31T23:59:00.000000Z 2024-01-02T10:00:00.000000Z " "rotated files dated by their mtimes"
"$FAULTLINE" timeline -q --all --no-default-rules --format jsonl --year 2024 "$tmp/yr" > "$tmp/yr.jsonl"
is "$(jq -r '"\(.time) \(.time_quality)"' "$tmp/yr.jsonl" | tr '\n' ' ')" \
    "2024-01-02T10:00:00.000000Z year-inferred,zone-assumed 2024-12-31T23:59:00.000000Z year-inferred,zone-assumed,year-suspect " \
    "--year dates each stream's newest line; the older file is marked suspect"

"$FAULTLINE" timeline --all --no-default-rules -j 1 "$tmp/ev" > "$tmp/j1.txt"
"$FAULTLINE" timeline --all --no-default-rules -j 2 "$tmp/ev" > "$tmp/j2.txt"
check "output does not depend on the number of threads" cmp -s "$tmp/j1.txt" "$tmp/j2.txt"

# dmesg lines ([seconds since boot]) dated by a kernel line of the same
# stream that carries both a wall time and its seconds since boot.
printf 'Aug  3 09:41:12 srv kernel: [    5.000000] Linux version 6.1.0\n[    7.500000] EXT4-fs (sda1): recovery complete\n[    1.000000] a new boot\n' > "$tmp/dmesg.log"
"$FAULTLINE" timeline -q --all --year 2024 --format jsonl "$tmp/dmesg.log" > "$tmp/dmesg.jsonl"
is "$(jq -r 'select(.line == 2) | "\(.time) \(.time_quality)"' "$tmp/dmesg.jsonl")" "2024-08-03T09:41:14.500000Z year-inferred,zone-assumed,boot-relative" "a dmesg line is dated from the boot"
is "$(jq -r 'select(.line == 3) | .time_quality' "$tmp/dmesg.jsonl")" "year-inferred,zone-assumed,approx" "a later boot's uptime is not dated from the earlier boot"

# Background noise: 50 failed logins from one address in one hour keep 10
# lines, the last standing for the other 40; 3 from another address stay.
awk 'BEGIN { for (i = 0; i < 50; i++) printf "Aug  3 09:%02d:00 gw sshd[%d]: Failed password for root from 203.0.113.9 port %d ssh2\n", i, 100 + i, 40000 + i
    for (i = 0; i < 3; i++) printf "Aug  3 09:%02d:30 gw sshd[%d]: Failed password for admin from 198.51.100.4 port %d ssh2\n", i, 200 + i, 41000 + i }' > "$tmp/noise.log"
"$FAULTLINE" timeline -q --year 2024 --format jsonl "$tmp/noise.log" > "$tmp/noise.jsonl"
is "$(wc -l < "$tmp/noise.jsonl" | tr -d ' ')" 13 "noise beyond 10 lines per source and hour is folded"
is "$(jq -s 'map(.repeat // 1) | add' "$tmp/noise.jsonl")" 53 "the folded lines are still counted"
is "$(jq -r 'select(.repeat) | "\(.line) \(.repeat)"' "$tmp/noise.jsonl")" "10 41" "the last kept line stands for the rest"
"$FAULTLINE" timeline -q --all --year 2024 --format jsonl "$tmp/noise.log" | wc -l > "$tmp/all.n"
is "$(tr -d ' ' < "$tmp/all.n")" 53 "--all keeps every line"

# Zone abbreviations in the line: CST is China's under --tz Asia/Shanghai,
# and an abbreviation of several zones or none is not taken as exact.
printf 'Wed Jan 11 11:29:43 CST 2023  Power failure.\n' > "$tmp/apcupsd.events"
printf '   1 | 12/08/2024 | 10:06:50 PM JST | Physical Security #0xaa | General Chassis intrusion | Asserted\n' > "$tmp/sel.txt"
"$FAULTLINE" timeline -q --all --no-default-rules --format jsonl --tz Asia/Shanghai "$tmp/apcupsd.events" "$tmp/sel.txt" > "$tmp/abbr.jsonl"
is "$(jq -r '"\(.time) \(.time_quality)"' "$tmp/abbr.jsonl" | tr '\n' ' ')" \
    "2023-01-11T03:29:43.000000Z abbr-by-zone 2024-12-08T14:06:50.000000Z zone-assumed,abbr-unknown " \
    "CST read as the configured zone's; an unknown abbreviation read in it and said so"
check "the time evidence says why" sh -c "jq -r .time_evidence '$tmp/abbr.jsonl' | grep -q 'abbreviation in the line is unknown'"
"$FAULTLINE" timeline -q --all --no-default-rules --format jsonl "$tmp/apcupsd.events" > "$tmp/abbr.jsonl"
is "$(jq -r '"\(.time) \(.time_quality)"' "$tmp/abbr.jsonl")" \
    "2023-01-11T17:29:43.000000Z zone-assumed,abbr-ambiguous" "without a zone, CST is US Central but not exact"
cp "$tmp/sel.txt" "$tmp/db-07-sel.txt"
"$FAULTLINE" timeline -q --all --no-default-rules --format jsonl --tz-host db-07=Asia/Tokyo "$tmp/db-07-sel.txt" > "$tmp/abbr.jsonl"
is "$(jq -r '"\(.time) \(.time_quality)"' "$tmp/abbr.jsonl")" \
    "2024-12-08T13:06:50.000000Z exact" "JST is exact where the host's zone goes by it"

"$FAULTLINE" timeline --tz Mars/Olympus "$tmp/ev" > /dev/null 2> "$tmp/err"
is $? 2 "unknown zone is a usage error"
check "the unknown zone is named" grep -q "Mars/Olympus" "$tmp/err"
done_testing
