#!/bin/sh
# Background noise: the first line of each host and source address keeps
# its text, the others keep time, place and address and are counted;
# every attempt is still counted, reports cite only kept lines, duplicates
# across streams are still folded, and --all keeps every line whole.
. "$srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp

# 30 failed passwords from one address within ten minutes, then a login
# from it; 3 invalid users from another that never gets in.
mkdir -p "$tmp/ev/web-01"
{
	i=0
	while [ $i -lt 30 ]; do
		printf '2024-08-02T10:%02d:%02d.%06d+00:00 web-01 sshd[%d]: Failed password for root from 203.0.113.7 port %d ssh2\n' \
			$((i / 3)) $((i % 3 * 20)) $((i * 7919 % 1000000)) $((1000 + i)) $((40000 + i))
		i=$((i + 1))
	done
	for i in 0 1 2; do
		printf '2024-08-02T10:1%d:30.250000+00:00 web-01 sshd[%d]: Invalid user admin%d from 198.51.100.9 port %d\n' \
			$i $((2000 + i)) $i $((50000 + i))
	done
	printf '2024-08-02T10:15:00.000001+00:00 web-01 sshd[3000]: Accepted password for root from 203.0.113.7 port 41000 ssh2\n'
} > "$tmp/ev/web-01/auth.log"
log="$tmp/ev/web-01/auth.log"

"$FAULTLINE" timeline -q --format jsonl "$tmp/ev" > "$tmp/t.jsonl"
a='select(.fields.src_ip == "203.0.113.7" and .signal == "auth_fail")'
is "$(jq -s "[.[] | $a | .repeat // 1] | add" "$tmp/t.jsonl")" 30 "every failed attempt from the brute-forcing address is counted"
is "$(jq -s "[.[] | $a | select(.raw != null)] | length" "$tmp/t.jsonl")" 1 "one of its lines keeps its text"
is "$(jq -s "[.[] | $a][0].raw != null" "$tmp/t.jsonl")" true "the first one"
is "$(jq -s '[.[] | select(.fields.src_ip == "198.51.100.9" and .raw != null)] | length' "$tmp/t.jsonl")" 1 "one line of the other address keeps its text"
is "$(jq -s '[.[] | select(.signal == "auth_success" and .raw != null)] | length' "$tmp/t.jsonl")" 1 "a login is not noise: its line is kept"
is "$(jq -s '[.[] | select(.raw == null and (.message != null or .pid != null))] | length' "$tmp/t.jsonl")" 0 "a counted line has no message or pid"

# A counted line still says where it is: its line number and byte offset
# lead to the original line, which names its address.
bad=0
jq -r 'select(.raw == null) | "\(.line) \(.offset) \(.fields.src_ip) \(.fields.user // "")"' "$tmp/t.jsonl" > "$tmp/counted"
while read -r line offset ip user; do
	text=$(sed -n "${line}p" "$log")
	at=$(tail -c +$((offset + 1)) "$log" | head -n 1)
	[ "$text" = "$at" ] || bad=$((bad + 1))
	case $text in *"$ip"*) ;; *) bad=$((bad + 1)) ;; esac
	case $text in *"$user"*) ;; *) bad=$((bad + 1)) ;; esac
done < "$tmp/counted"
is "$(jq -s "[.[] | $a] | length" "$tmp/t.jsonl")" 10 "past 10 in an hour, its attempts are counted on the last"
is "$(wc -l < "$tmp/counted" | tr -d ' ')" 11 "11 lines are kept without their text"
is "$bad" 0 "each points at its original line and keeps its address and user"

"$FAULTLINE" timeline -q "$tmp/ev" > "$tmp/t.txt"
check "the text timeline says the text was not kept, and what was" grep -q 'sshd: \[text not kept: background noise\] user=root src_ip=203.0.113.7  (.*auth.log:2)' "$tmp/t.txt"
"$FAULTLINE" timeline -q --format csv "$tmp/ev" > "$tmp/t.csv"
check "so does the CSV timeline" grep -q '^"\[text not kept: background noise\]"' "$tmp/t.csv"
"$FAULTLINE" timeline -q --all --format jsonl "$tmp/ev" > "$tmp/all.jsonl"
is "$(jq -s '[.[] | select(.raw != null)] | length' "$tmp/all.jsonl")" 34 "--all keeps every line whole"

# A correlation that groups noise by another field keeps that field on
# the counted lines too.
mkdir -p "$tmp/rules"
cat > "$tmp/rules/by-method.yml" <<'E'
title: Failures grouped by method
id: test-corr-method
status: test
correlation:
  type: event_count
  rules:
    - fl-sec-sshd-failed
  group-by: [method]
  timespan: 1h
  condition: {gte: 20}
level: low
E
is "$(jq -s '[.[] | select(.raw == null and .signal == "auth_fail" and .fields.method == null)] | length' "$tmp/t.jsonl")" 9 "without such a correlation, counted lines leave the method out"
"$FAULTLINE" timeline -q --rules "$tmp/rules" --format jsonl "$tmp/ev" > "$tmp/tm.jsonl"
is "$(jq -s '[.[] | select(.raw == null and .signal == "auth_fail" and .fields.method == "password")] | length' "$tmp/tm.jsonl")" 9 "with one grouping by it, they keep it"

# The analysis reads every attempt and cites only kept lines.
"$FAULTLINE" analyze -q --format json "$tmp/ev" > "$tmp/r.json"
is "$(jq '[.findings[].evidence[] | select(.text == "" or .text == null)] | length' "$tmp/r.json")" 0 "no citation without its line"
is "$(jq -r '[.findings[] | select(.title | test("brute force then success"))] | length' "$tmp/r.json")" 1 "the brute force then success is found"
is "$(jq -r '[.findings[] | select(.title | test("brute force then success")) | .evidence[] | select(.text | test("Failed password"))] | length' "$tmp/r.json")" 1 "citing the failure whose line was kept"
is "$(jq -r '[.findings[] | select(.signal == "auth_fail") | .fields.attempts[0]][0]' "$tmp/r.json")" 3 "the noise that never got in counts its 3 attempts"

# The same lines in a second stream of the same host are duplicates,
# counted once, whether their text was kept or not.
cp "$log" "$tmp/ev/web-01/auth.log.copy"
"$FAULTLINE" timeline -q --format jsonl "$tmp/ev" > "$tmp/t2.jsonl"
is "$(jq -s "[.[] | $a | .repeat // 1] | add" "$tmp/t2.jsonl")" 30 "a copy of the log adds no attempt"
is "$(jq -s '[.[] | select(.also_in != null)] | length' "$tmp/t2.jsonl")" "$(wc -l < "$tmp/t.jsonl" | tr -d ' ')" "every event is found in both streams"
rm "$tmp/ev/web-01/auth.log.copy"

# A partial result carries the counted lines as they are.
"$FAULTLINE" scan -q -o "$tmp/p.flp" "$tmp/ev"
"$FAULTLINE" timeline -q --format jsonl "$tmp/p.flp" > "$tmp/p.jsonl"
check "a part gives the same timeline" cmp -s "$tmp/t.jsonl" "$tmp/p.jsonl"
"$FAULTLINE" analyze -q --format json "$tmp/p.flp" > "$tmp/rp.json"
check "and the same report" cmp -s "$tmp/r.json" "$tmp/rp.json"
done_testing
