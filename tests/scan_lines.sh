#!/bin/sh
# What the scan makes of lines that are not plain records: the host of
# lines that name none, and the text and times kept of every line.
. "$srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp

# Three servers logging a heartbeat every five minutes; each logs a kernel
# warning with a two-line call trace at 10:00. The trace lines name no host:
# they are the kernel's, not a host named after the directory.
for h in 1 2 3; do
	mkdir -p "$tmp/ev/srv$h"
	awk -v h=$h 'BEGIN { for (m = 0; m < 600; m += 5) {
		printf "Jan 10 %02d:%02d:00 web%s app[1]: heartbeat\n", 8 + int(m / 60), m % 60, h
		if (m == 120) printf "Jan 10 10:00:01 web%s kernel: WARNING: CPU: 0 PID: 1 at foo\n Call Trace:\n  dump_stack+0x1/0x2\n", h } }' \
		> "$tmp/ev/srv$h/syslog"
	touch -d '2024-01-11 00:00 UTC' "$tmp/ev/srv$h/syslog"
done
"$FAULTLINE" analyze -q --format json "$tmp/ev" > "$tmp/ev.json"
is "$(jq -r '[.hosts[].name] | join(" ")' "$tmp/ev.json")" "web1 web2 web3" \
    "continuation lines belong to the host of the record they continue"
is "$(jq -c '[.incident, ([.hosts[].gaps // [] | length] | add)]' "$tmp/ev.json")" \
    "[null,0]" "healthy heartbeats are no outage: no incident, no silence"

# journalctl output: a header, a boot separator, and a damaged last line;
# none names a host, all are the NAS's.
mkdir -p "$tmp/jb/nas1"
printf '%s\n' '-- Logs begin at Wed 2023-01-11 12:00:00 CST. --' \
    'Jan 11 12:05:54 yichya-nas systemd-journald[300]: Journal stopped' \
    '-- Boot be39038bd9534c1fb8e6d45974be00a4 --' \
    'Jan 11 14:05:17 yichya-nas kernel: Linux version 5.15' \
    'Jan 11 14:0' > "$tmp/jb/nas1/journal.txt"
touch -d '2023-01-12 00:00 UTC' "$tmp/jb/nas1/journal.txt"
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/jb" > "$tmp/jb.jsonl"
is "$(jq -r .host "$tmp/jb.jsonl" | sort | uniq -c | tr -s ' ')" " 5 yichya-nas" \
    "header, boot separator and damaged line go to the host the stream names"
"$FAULTLINE" sources -q --format json "$tmp/jb" > "$tmp/jb.json"
is "$(jq -r '.inputs[0].members[0].host' "$tmp/jb.json")" yichya-nas "the stream's host"

# A device log whose lines never name a host speaks for the one its path names.
printf '2024-08-03 09:52:10 +0200  Power failure.\n' > "$tmp/ups-a.events"
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/ups-a.events" > "$tmp/ups.jsonl"
is "$(jq -r .host "$tmp/ups.jsonl")" ups-a "host of a device log from its file name"
# After a power loss a file can hold a block of NULs where the last lines
# were: the next boot's first line follows them. It is read as written and
# cited where its bytes begin.
printf 'Jan 10 10:00:00 web1 app[1]: before\n' > "$tmp/nul.log"
head -c 4096 /dev/zero >> "$tmp/nul.log"
printf 'Jan 10 12:00:00 web1 kernel: Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-12)\n' >> "$tmp/nul.log"
touch -d '2024-01-11 00:00 UTC' "$tmp/nul.log"
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/nul.log" > "$tmp/nul.jsonl"
is "$(jq -r 'select(.line == 2) | "\(.time) \(.host) \(.format) \(.signal) \(.offset)"' "$tmp/nul.jsonl")" \
    "2024-01-10T12:00:00.000000Z web1 rfc3164 boot 36" "NULs before a line: the line is parsed, matched and cited at the NULs"
is "$(jq -r 'select(.line == 2) | .raw' "$tmp/nul.jsonl")" \
    "Jan 10 12:00:00 web1 kernel: Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-12)" \
    "NULs before a line are left out of its text"
"$FAULTLINE" sources -q --format json "$tmp/nul.log" > "$tmp/nul.json"
is "$(jq -r '.inputs[0].members[0] | "\(.parsed) \(.unparsed) \(.nul_lines)"' "$tmp/nul.json")" "2 0 1" \
    "the line is parsed and counted as holding NULs"

# A NUL inside a line does not end its text.
printf 'Jan 10 10:00:00 web1 sshd[1]: Accepted password for root from 192.0.2.4 port 22 ssh2\000 HIDDEN-TAIL\n' > "$tmp/nul2.log"
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/nul2.log" > "$tmp/nul2.jsonl"
is "$(jq -r .raw "$tmp/nul2.jsonl")" \
    "Jan 10 10:00:00 web1 sshd[1]: Accepted password for root from 192.0.2.4 port 22 ssh2␀ HIDDEN-TAIL" \
    "a NUL in a line is kept as U+2400 in the raw text"
is "$(jq -r .message "$tmp/nul2.jsonl")" "Accepted password for root from 192.0.2.4 port 22 ssh2␀ HIDDEN-TAIL" \
    "and in the message"
"$FAULTLINE" timeline -q --all "$tmp/nul2.log" > "$tmp/nul2.txt"
check "and in the text timeline" grep -q "ssh2␀ HIDDEN-TAIL" "$tmp/nul2.txt"
# A UTF-8 byte order mark before a stream's first line is not part of it.
printf '\357\273\277Jan 10 10:00:00 web1 kernel: Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-12)\n' > "$tmp/bom.log"
printf '\357\273\277{"__REALTIME_TIMESTAMP":"1704880860000000","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-12)"}\n' > "$tmp/bom.json"
touch -d '2024-01-11 00:00 UTC' "$tmp/bom.log" "$tmp/bom.json"
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/bom.log" "$tmp/bom.json" > "$tmp/bom.jsonl"
is "$(jq -r '"\(.format) \(.host) \(.signal) \(.offset) \(.raw[:3])"' "$tmp/bom.jsonl" | sort | tr '\n' ' ')" \
    "journal-json web1 boot 0 {\"_ rfc3164 web1 boot 0 Jan " "a byte order mark: syslog and journal JSON lines parsed, cited from the file's start"
# A stream's first and last times are those of its first and last lines,
# to the microsecond, not of the minutes they fall in.
printf 'Jan  1 00:00:30 h app: second\nJan  1 00:00:10 h app: first\n2024-01-01T00:01:00.250000+00:00 h app: third\n2024-01-01T00:01:59.750000+00:00 h app: last\n' > "$tmp/fl.log"
touch -d '2024-01-02 00:00 UTC' "$tmp/fl.log"
"$FAULTLINE" sources -q --format json "$tmp/fl.log" > "$tmp/fl.json"
is "$(jq -r '.inputs[0].members[0] | "\(.first) \(.last)"' "$tmp/fl.json")" \
    "2024-01-01T00:00:10.000000Z 2024-01-01T00:01:59.750000Z" "first and last line times"
done_testing
