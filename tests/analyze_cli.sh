#!/bin/sh
# faultline analyze as a user runs it: usage errors, exit statuses, the
# text and JSON reports of a small site that lost mains power (golden
# files), citations that point at real lines, and determinism.
. "$srcdir/tests/lib.sh"
command -v jq > /dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp
golden="$srcdir/tests/golden/analyze"

# A small site, written with fixed times and file dates so that the
# reports do not depend on the day the test runs: three servers on ups-a
# lose power when its battery runs out, a fourth stays up; the Internet
# knocks on ssh; the admin logs in afterwards.
site() {
	d=$1
	mkdir -p "$d/power" "$d/srv-01" "$d/srv-02" "$d/srv-03" "$d/srv-04"
	cat > "$d/power/ups-a.events" <<'EOF'
2024-08-03 09:30:00 +0200  Power failure.
2024-08-03 09:30:05 +0200  Running on UPS batteries.
2024-08-03 10:00:40 +0200  Battery power exhausted.
2024-08-03 10:40:00 +0200  Power is back. UPS running on mains.
EOF
	# lines every minute; the three on the UPS stop at 10:00 and boot
	# with journal recovery at 10:45
	for h in srv-01 srv-02 srv-03; do
		awk -v h="$h" 'BEGIN {
			for (m = 0; m < 60; m++)
				printf "2024-08-03T09:%02d:17+02:00 %s CRON[%d]: (root) CMD (run-parts /etc/cron.minutely)\n", m, h, 1000 + m
			printf "2024-08-03T10:00:17+02:00 %s CRON[2000]: (root) CMD (run-parts /etc/cron.minutely)\n", h
			printf "2024-08-03T10:45:01+02:00 %s kernel: [    0.000000] Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1 (2024-07-15)\n", h
			printf "2024-08-03T10:45:03+02:00 %s kernel: [    4.176871] EXT4-fs (sda1): INFO: recovery required on readonly filesystem\n", h
			printf "2024-08-03T10:45:04+02:00 %s kernel: [    4.656871] EXT4-fs (sda1): recovery complete\n", h
			for (m = 46; m < 60; m++)
				printf "2024-08-03T10:%02d:17+02:00 %s CRON[%d]: (root) CMD (run-parts /etc/cron.minutely)\n", m, h, 3000 + m
		}' > "$d/$h/syslog"
	done
	awk 'BEGIN {
		for (m = 0; m < 60; m++)
			printf "2024-08-03T09:%02d:17+02:00 srv-04 CRON[%d]: (root) CMD (run-parts /etc/cron.minutely)\n", m, 1000 + m
		for (m = 0; m < 60; m++)
			printf "2024-08-03T10:%02d:17+02:00 srv-04 CRON[%d]: (root) CMD (run-parts /etc/cron.minutely)\n", m, 2000 + m
	}' > "$d/srv-04/syslog"
	awk 'BEGIN {
		for (i = 1; i <= 12; i++)
			printf "2024-08-03T09:%02d:%02d+02:00 srv-04 sshd[%d]: Failed password for invalid user admin from 203.0.113.%d port 4%04d ssh2\n", 10 + i, i, 500 + i, i, i
		printf "2024-08-03T10:50:00+02:00 srv-04 sshd[900]: Accepted publickey for ops from 10.0.0.9 port 50000 ssh2: ED25519 SHA256:abc\n"
	}' > "$d/srv-04/auth.log"
	find "$d" -type f -exec touch -d "2024-08-03 12:00:00 UTC" {} +
}

# Usage errors
"$FAULTLINE" analyze > /dev/null 2>&1
is $? 2 "no evidence: exit 2"
"$FAULTLINE" analyze --format yaml /dev/null > /dev/null 2>&1
is $? 2 "unknown format: exit 2"
"$FAULTLINE" analyze --skew srv-01 /dev/null > /dev/null 2> "$tmp/err"
is $? 2 "--skew without a value: exit 2"
check "--skew says what it wants" grep -q "HOST=+SECONDS" "$tmp/err"
"$FAULTLINE" analyze --no-such-option /dev/null > /dev/null 2>&1
is $? 2 "unknown option: exit 2"
"$FAULTLINE" analyze "$tmp/nonexistent" > /dev/null 2>&1
is $? 2 "nothing readable: exit 2"
"$FAULTLINE" analyze --help > "$tmp/help"
is $? 0 "--help: exit 0"
check "--help documents the exit statuses" grep -q "3 sabotage or cyberattack" "$tmp/help"
printf 'feed a\nups u feed=b\nhost h psu=p:1\n' > "$tmp/bad.inv"
"$FAULTLINE" analyze --inventory "$tmp/bad.inv" /dev/null > /dev/null 2> "$tmp/err"
is $? 2 "inventory with errors: exit 2"
check "inventory error located" grep -q "bad.inv:2: ups u: unknown feed 'b'" "$tmp/err"
"$FAULTLINE" analyze --inventory "$tmp/none.inv" /dev/null > /dev/null 2>&1
is $? 2 "missing inventory: exit 2"

# The small site, from a fixed directory name so paths are stable.
cd "$tmp" || exit 1
site ev
"$FAULTLINE" analyze -q -j 1 ev > text1
is $? 0 "accident: exit 0"
"$FAULTLINE" analyze -q -j 2 --format json ev > json1
is $? 0 "accident, json: exit 0"
is "$(jq -r .verdict.cause json1)" accidental-power-fault "accident: cause"
is "$(jq -r .incident.start json1)" 2024-08-03T07:30:00Z "accident: starts at the mains loss"
is "$(jq -c .incident.affected_hosts json1)" '["srv-01","srv-02","srv-03"]' "accident: the three hosts on the UPS"
is "$(jq '[.findings[] | select(.noise)] | length' json1)" 2 "scanning and the admin's login are noise"
is "$(jq -r .schema json1)" faultline/report/v1 "schema named"
check "text opens with the verdict" grep -q "^VERDICT: accidental-power-fault (confidence" text1
if [ -n "$FL_UPDATE_GOLDEN" ]; then
	cp text1 "$golden/accident.txt"
	jq 'del(.tool)' json1 > "$golden/accident.json"
fi
diff -u "$golden/accident.txt" text1 > diff.txt
ok $? "text report matches the golden file"
sed 's/^/#   /' diff.txt | head -20
jq 'del(.tool)' json1 > json1.cmp
diff -u "$golden/accident.json" json1.cmp > diff.txt
ok $? "JSON report matches the golden file"
sed 's/^/#   /' diff.txt | head -20

# Determinism: any number of workers, run after run.
"$FAULTLINE" analyze -q -j 1 --format json ev > json2
"$FAULTLINE" analyze -q -j 3 --format json ev > json3
check "same report for -j 1 and -j 2" cmp -s json1 json2
check "same report for -j 3, run again" cmp -s json1 json3
"$FAULTLINE" analyze -q --format json -o out.json ev
check "-o writes the same report" cmp -s json1 out.json

# Every cited line is really there, at that line number.
jq -r '.findings[].evidence[] | [.input, .line, .text] | @tsv' json1 > cites
n=0 bad=0
while IFS="$(printf '\t')" read -r input line text; do
	n=$((n + 1))
	got=$(sed -n "${line}p" "$input")
	[ "$got" = "$text" ] || { bad=$((bad + 1)); echo "#   $input:$line: $got"; }
done < cites
check "findings cite lines ($n)" test "$n" -gt 0
is "$bad" 0 "every cited line is at its place"
is "$(jq '[.findings[] | select((.evidence | length) == 0)] | length' json1)" 0 \
    "every finding cites a line"

# Unreadable evidence: exit 1 for a benign cause.
head -c 40 /bin/sh | gzip > ev/srv-04/broken.gz
printf 'junk' >> ev/srv-04/broken.gz
head -c 30 ev/srv-04/broken.gz > ev/srv-04/cut.gz
rm ev/srv-04/broken.gz
"$FAULTLINE" analyze -q ev > text2 2> /dev/null
is $? 1 "damaged evidence with a benign cause: exit 1"
check "the report says what could not be read" grep -q "cut.gz" text2
rm ev/srv-04/cut.gz

# A log in a format faultline does not know: read, so not damage (exit 0
# for a benign cause), but listed apart as not analysed in every format.
awk 'BEGIN {
	for (i = 0; i < 40; i++)
		printf "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected %d\n", i
}' > ev/srv-04/bgl.log
touch -d "2024-08-03 12:00:00 UTC" ev/srv-04/bgl.log
"$FAULTLINE" analyze -q --format json ev > json6
is $? 0 "a log in an unknown format with a benign cause: exit 0"
is "$(jq -r .verdict.cause json6)" accidental-power-fault "it does not change the cause"
is "$(jq -c .unreadable json6)" '[]' "it is not listed as damage"
is "$(jq -c .unparsed json6)" '[{"path":"ev/srv-04/bgl.log","format":"unknown","lines":40}]' \
    "it is listed as not analysed, with its lines and format"
for f in text markdown html; do
	"$FAULTLINE" analyze -q --format $f ev > unparsed.$f
	check "$f: it is listed" grep -q "ev/srv-04/bgl.log.*40 line(s), format unknown" unparsed.$f
	check "$f: its contents were not analysed" grep -q "contents were not analysed" unparsed.$f
done
check "text: not damage" grep -q "^  no input damaged or unreadable$" unparsed.text
rm ev/srv-04/bgl.log

# A server that logs UTC without an offset while the site's zone is
# Europe/Paris: found by its stop and boot, moved by two hours.
mkdir -p ev/srv-05
awk 'BEGIN {
	for (m = 0; m < 60; m++)
		printf "Aug  3 07:%02d:17 srv-05 CRON[%d]: (root) CMD (run-parts /etc/cron.minutely)\n", m, 1000 + m
	printf "Aug  3 08:00:17 srv-05 CRON[2000]: (root) CMD (run-parts /etc/cron.minutely)\n"
	printf "Aug  3 08:45:01 srv-05 kernel: [    0.000000] Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1 (2024-07-15)\n"
	printf "Aug  3 08:45:04 srv-05 kernel: [    4.656871] EXT4-fs (sda1): recovery complete\n"
	for (m = 46; m < 60; m++)
		printf "Aug  3 08:%02d:17 srv-05 CRON[%d]: (root) CMD (run-parts /etc/cron.minutely)\n", m, 3000 + m
}' > ev/srv-05/syslog
touch -d "2024-08-03 12:00:00 UTC" ev/srv-05/syslog
"$FAULTLINE" analyze -q --tz Europe/Paris --format json ev > json4
is "$(jq -r '.hosts[] | select(.name == "srv-05") | .clock_offset_s' json4)" 7200 \
    "a server logging UTC under --tz Europe/Paris is moved by +2 h"
is "$(jq -r '.hosts[] | select(.name == "srv-05") | .zone_corrected' json4)" true \
    "and said to be in the wrong zone"
is "$(jq -c .incident.affected_hosts json4)" '["srv-01","srv-02","srv-03","srv-05"]' \
    "it stopped with the others"
is "$(jq -r .incident.start json4)" 2024-08-03T07:30:00Z "the incident still starts at the mains loss"
# The inventory: the hosts that stopped are those behind ups-a, and its
# zone= says how srv-05 logs, so nothing needs guessing.
cat > site.inv <<'EOF'
feed grid
ups ups-a feed=grid
ups ups-b feed=grid
pdu pdu-a ups=ups-a
pdu pdu-b ups=ups-b
host srv-01 psu=pdu-a:1 services=postgresql
host srv-02 psu=pdu-a:2
host srv-03 psu=pdu-a:3
host srv-04 psu=pdu-b:1
host srv-05 psu=pdu-a:5 zone=UTC
EOF
"$FAULTLINE" analyze -q --tz Europe/Paris --inventory site.inv --format json ev > json5
is "$(jq -r '.hosts[] | select(.name == "srv-05") | [.zone, .zone_source, .clock_offset_s] | join(" ")' json5)" \
    "UTC tz-host 0" "the inventory's zone= is used for srv-05"
check "the stop follows the topology" \
    jq -e '.findings[] | select(.signal == "topology") | .title | test("follow the power topology: exactly")' json5
is "$(jq -r '.recovery.services[] | select(.host == "srv-01") | .service' json5)" postgresql \
    "services come from the inventory"
done_testing
