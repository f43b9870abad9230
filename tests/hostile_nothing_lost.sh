#!/bin/sh
# Nothing lost: over a mixed corpus of good and damaged evidence (a sample
# set, the same tarballs truncated, corrupted, bombed or emptied, plain and
# compressed logs), every stream accounts for every line it read (lines ==
# parsed + unparsed), good streams have as many lines as an independent
# count (tar -xO, gzip -dc, wc -l) says, and every damaged input appears in
# the JSON with its error and, on the stream that stopped, the offset and
# what was kept before it.
. "$srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp
cd "$tmp" || exit 99
set_dir=$srcdir/samples/bmc-power-off/evidence
[ -d "$set_dir" ] || { echo "1..0 # SKIP no sample set at $set_dir"; exit 0; }

mkdir ev
cp -R "$set_dir"/. ev/
# Damaged copies of good tarballs (each: what, the stream that stops).
cp ev/app-61.tar.gz good.tar.gz
head -c $(($(wc -c < good.tar.gz) * 2 / 3)) good.tar.gz > ev/cut-app.tar.gz
cp good.tar.gz ev/corrupt-app.tar.gz
printf '%64s' '' | tr ' ' U |
    dd of=ev/corrupt-app.tar.gz bs=1 seek=$(($(wc -c < good.tar.gz) / 2)) conv=notrunc 2>/dev/null
gzip -dc good.tar.gz > plain.tar
head -c $(($(wc -c < plain.tar) / 2 + 100)) plain.tar > ev/cut-plain.tar
# A plain log whose last line has no newline, a gzip log, an empty file,
# NUL bytes, a bomb in a tarball next to a good log.
seq 1 999 | sed 's/^/Aug  3 09:41:12 srv-x kernel: line /' > ev/plain.log
printf 'Aug  3 09:41:13 srv-x kernel: last line, no newline' >> ev/plain.log
seq 1 5000 | sed 's/^/Aug  3 09:41:12 srv-y kernel: line /' | gzip > ev/y.log.gz
: > ev/empty.log
head -c 4096 /dev/zero > ev/nul.log
mkdir b
head -c 50000000 /dev/zero | gzip > b/zeros.gz
seq 1 300 | sed 's/^/Aug  3 09:41:12 srv-z kernel: after /' > b/after.log
tar -cf ev/bomb.tar -C b zeros.gz after.log
rm -rf b

timeout 120 "$FAULTLINE" sources -q -j 2 --format json ev > out.json 2> err
is $? 1 "exit 1: some evidence is damaged"
check "the JSON is valid" jq -e . out.json

# Accounting, per stream and in total.
is "$(jq '[.inputs[].members[] | select(.lines != .parsed + .unparsed)] | length' out.json)" 0 "every stream: lines == parsed + unparsed"
total=$(timeout 120 "$FAULTLINE" sources -q -j 2 ev 2>/dev/null | sed -n '1s/.* streams, \([0-9]*\) lines.*/\1/p')
is "$(jq '[.inputs[].members[].lines] | add' out.json)" "$total" "the total is the sum of the streams"

# Independent counts of good streams.
is "$(jq -r '.inputs[] | select(.path == "ev/plain.log") | .members[0].lines' out.json)" 1000 "plain.log: 1000 lines, the last without newline"
is "$(jq -r '.inputs[] | select(.path == "ev/y.log.gz") | .members[0].lines' out.json)" 5000 "y.log.gz: 5000 lines"
for m in $(tar -tzf ev/app-61.tar.gz | grep -v '/$'); do
	want=$(tar -xzOf ev/app-61.tar.gz "$m" | { case $m in *.gz) gzip -dc ;; *) cat ;; esac; } | awk 'END { print NR }')
	got=$(jq -r --arg m "$m" '.inputs[] | select(.path == "ev/app-61.tar.gz") | .members[] | select(.path == $m) | .lines' out.json)
	is "$got" "$want" "app-61.tar.gz!$m: as many lines as tar -xO says"
done
members=$(tar -tzf ev/app-61.tar.gz | grep -vc '/$')
is "$(jq '.inputs[] | select(.path == "ev/app-61.tar.gz") | .members | length' out.json)" "$members" "every member of a good tarball is a stream"

# Every good input is ok, every damaged one says so, where, and what it kept.
bad='ev/cut-app.tar.gz ev/corrupt-app.tar.gz ev/cut-plain.tar ev/bomb.tar'
is "$(jq -r '[.inputs[] | select(.status != "ok") | .path] | sort | join(" ")' out.json)" "$(echo $bad | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" "exactly the damaged inputs are marked"
for f in $bad; do
	check "$f: the input's error is given" jq -e --arg f "$f" '.inputs[] | select(.path == $f) | .error | type == "string"' out.json
	# A stream that stopped carries the offset; damage found between
	# members (a gzip checksum at the end of a tarball) is the input's.
	check "$f: where: a stream's error offset, or the input's byte" jq -e --arg f "$f" '.inputs[] | select(.path == $f) | ([.members[].errors[] | select(.offset | type == "number")] | length > 0) or (.error | test(" at byte [0-9]+"))' out.json
	check "$f: stderr names it" grep -q "$f" err
done
want=$(gzip -dc ev/cut-app.tar.gz 2>/dev/null | tar -tf - 2>/dev/null | grep -vc '/$')
ok "$([ "$(jq '.inputs[] | select(.path == "ev/cut-app.tar.gz") | .members | length' out.json)" -ge "$want" ]; echo $?)" "cut-app.tar.gz: every member before the cut is a stream"
is "$(jq -r '.inputs[] | select(.path == "ev/bomb.tar") | .members[] | select(.path == "after.log") | .lines' out.json)" 300 "bomb.tar: the log after the bomb is read"
is "$(jq -r '.inputs[] | select(.path == "ev/bomb.tar") | .members[] | select(.path == "zeros.gz") | .errors[0].limit' out.json)" true "bomb.tar: the bomb is a limit, not damage"
# Kept lines before damage: the stream of the truncated plain tar that
# stopped holds every byte from its header to the cut (GNU tar -tR gives
# the header's block), as many lines as those bytes hold.
m=$(jq -r '.inputs[] | select(.path == "ev/cut-plain.tar") | .members[] | select(.errors | length > 0) | .path' out.json)
blk=$(tar -tRf ev/cut-plain.tar 2>/dev/null | sed -n "s|^block \([0-9]*\): $m\$|\1|p")
from=$(((blk + 1) * 512))
case $m in
*.gz) skip "the cut fell in a compressed member ($m)" ;;
*) is "$(jq -r --arg m "$m" '.inputs[] | select(.path == "ev/cut-plain.tar") | .members[] | select(.path == $m) | "\(.bytes) \(.lines)"' out.json)" \
    "$(($(wc -c < ev/cut-plain.tar) - from)) $(tail -c +$((from + 1)) ev/cut-plain.tar | awk 'END { print NR }')" \
    "cut-plain.tar!$m: every byte and line before the cut is kept" ;;
esac

done_testing
