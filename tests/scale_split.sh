#!/bin/sh
# Scan/analyse split: the output over partial results of any split of the
# evidence is byte-identical to one run over all of it; parts made with
# other options or rules, and damaged parts, are refused.
. "$srcdir/tests/lib.sh"
mktmp

for set in hospital-power-outage stolen-admin-wiper; do
	ev="$srcdir/samples/$set/evidence"
	args=$(jq -r '.args | join(" ")' "$srcdir/samples/$set/expected.json")
	# shellcheck disable=SC2086
	"$FAULTLINE" timeline -q $args --format jsonl "$ev" > "$tmp/whole.jsonl"
	"$FAULTLINE" sources -q $args --format json "$ev" > "$tmp/whole.json"
	analyze=0
	if "$FAULTLINE" analyze --help >/dev/null 2>&1; then
		analyze=1
		"$FAULTLINE" analyze -q $args --format json "$ev" > "$tmp/whole-report.json"
	fi
	for n in 2 3 5; do
		parts=""
		k=1
		while [ "$k" -le "$n" ]; do
			"$FAULTLINE" scan -q $args --shard "$k/$n" -o "$tmp/part-$k.flp" "$ev"
			# Later parts first: the order of the arguments must not matter.
			parts="$tmp/part-$k.flp $parts"
			k=$((k + 1))
		done
		"$FAULTLINE" timeline -q $args --format jsonl $parts > "$tmp/merged.jsonl"
		check "$set, $n parts: timeline identical to one run" cmp -s "$tmp/whole.jsonl" "$tmp/merged.jsonl"
		"$FAULTLINE" sources -q $args --format json $parts > "$tmp/merged.json"
		check "$set, $n parts: sources identical to one run" cmp -s "$tmp/whole.json" "$tmp/merged.json"
		if [ "$analyze" = 1 ]; then
			"$FAULTLINE" analyze -q $args --format json $parts > "$tmp/merged-report.json"
			check "$set, $n parts: analyze report identical to one run" cmp -s "$tmp/whole-report.json" "$tmp/merged-report.json"
		else
			skip "$set: 'faultline analyze' is not in this build"
		fi
	done
	# Parts and raw evidence mixed: part 1 of 2 plus the raw files of share 2.
	"$FAULTLINE" scan -q $args --shard 1/2 -o "$tmp/half.flp" "$ev"
	"$FAULTLINE" sources -q --shard 2/2 --format json "$ev" | jq -r '.inputs[].path' > "$tmp/rest"
	# shellcheck disable=SC2046
	"$FAULTLINE" timeline -q $args --format jsonl "$tmp/half.flp" $(cat "$tmp/rest") > "$tmp/mixed.jsonl"
	check "$set: a part plus raw evidence gives the same timeline" cmp -s "$tmp/whole.jsonl" "$tmp/mixed.jsonl"
done

ev="$srcdir/samples/quiet-period/evidence"
"$FAULTLINE" scan -q --tz Europe/Paris -o "$tmp/q.flp" "$ev"
ok $? "scan writes a part"
"$FAULTLINE" timeline -q --tz UTC "$tmp/q.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a part made with another zone is refused"
check "the refusal names the option and both values" grep -q "tz: part 'Europe/Paris', this run 'UTC'" "$tmp/err"
"$FAULTLINE" timeline -q --tz Europe/Paris --no-default-rules "$tmp/q.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a part made with another rule set is refused"
check "the refusal says rule set" grep -q "another rule set" "$tmp/err"
"$FAULTLINE" timeline -q --tz Europe/Paris --all "$tmp/q.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a part made without --all is refused by timeline --all"
gzip -dc "$tmp/q.flp" | head -c 5000 | gzip > "$tmp/cut.flp"
"$FAULTLINE" timeline -q --tz Europe/Paris "$tmp/cut.flp" > /dev/null 2> "$tmp/err"
is $? 2 "a truncated part is refused"
check "the refusal says damaged" grep -q "damaged partial result" "$tmp/err"
"$FAULTLINE" scan -q "$ev" > /dev/null 2>&1
is $? 2 "scan without -o is a usage error"
raw=$(du -sk "$ev" | cut -f1)
part=$(du -sk "$tmp/q.flp" | cut -f1)
echo "# quiet-period: evidence ${raw} KiB compressed, part ${part} KiB"
"$FAULTLINE" sources --shard 3/2 "$ev" > /dev/null 2>&1
is $? 2 "--shard K/N with K > N is a usage error"
a=$("$FAULTLINE" sources -q --shard 1/2 --format json "$ev" | jq '.inputs | length')
b=$("$FAULTLINE" sources -q --shard 2/2 --format json "$ev" | jq '.inputs | length')
all=$("$FAULTLINE" sources -q --format json "$ev" | jq '.inputs | length')
is "$((a + b))" "$all" "two shards cover every input once"
done_testing
