#!/bin/sh
# Limits: each stops what exceeds it, early, says which limit and its value,
# and leaves the rest of the evidence readable.
. "$srcdir/tests/lib.sh"
WALK=$top_builddir/tests/input-walk
mktmp
cd "$tmp" || exit 99

have() { command -v "$1" >/dev/null 2>&1; }
val() { printf '%s\n' "$2" | tr '\t' '\n' | sed -n "s/^$1=//p"; }
row() { awk -F'\t' -v i="$1" -v m="$2" '$1 == "stream" && $2 == i && $3 == m' out; }
gen() { seq 1 "$2" | sed "s/^/Aug  3 09:41:12 srv-app-11 app[7]: $1 /"; }
# Runs input-walk, failing rather than hanging.
walk() { timeout 60 "$WALK" "$@"; }

# A bomb-shaped member: 200 MB of zeros, gzipped to about 200 KB (the
# deflate maximum of 1032:1), next to an ordinary log in a tar.
head -c 200000000 /dev/zero | gzip > zeros.gz
gen after 500 > after.log
tar -cf bomb.tar zeros.gz after.log
walk bomb.tar > out 2> err
is $? 1 "exit 1 when a limit is hit"
r=$(row bomb.tar zeros.gz)
is "$(val error "$r")" "compression ratio above 1000:1 (limit --max-ratio)" "the ratio limit is named with its value"
is "$(val limit "$r")" 1 "limit_hit is set"
ok "$([ "$(val bytes "$r")" -lt 4194304 ]; echo $?)" "stopped within the first MiBs, not after 200 MB"
is "$(val lines "$(row bomb.tar after.log)")" 500 "the next member is still read"
check "a warning names the member" grep -q "warning: bomb.tar!zeros.gz@" err

walk --max-ratio 50 zeros.gz > out 2> err
is "$(val error "$(row zeros.gz "")")" "compression ratio above 50:1 (limit --max-ratio)" "--max-ratio changes the limit"

# The same inside a zip, where the entry itself is deflated: the entry is
# stopped and the zip's next entry still read.
if have zip; then
	head -c 200000000 /dev/zero | zip -q bomb.zip -
	zip -q bomb.zip after.log
	walk bomb.zip > out 2> err
	r=$(row bomb.zip -)
	is "$(val limit "$r")" 1 "a zip bomb entry is stopped"
	ok "$([ "$(val bytes "$r")" -lt 4194304 ]; echo $?)" "zip bomb stopped early"
	is "$(val lines "$(row bomb.zip after.log)")" 500 "the zip's next entry is read"
else
	for i in 1 2 3; do skip "zip not installed"; done
fi

if have zstd; then
	head -c 200000000 /dev/zero | zstd -q > zeros.zst
	walk zeros.zst > out 2> err
	r=$(row zeros.zst "")
	is "$(val limit "$r")" 1 "a zstd bomb (ratio far above 1000) is stopped"
	ok "$([ "$(val bytes "$r")" -lt 16777216 ]; echo $?)" "zstd bomb stopped early"
else
	for i in 1 2; do skip "zstd not installed"; done
fi

# Nesting depth: a .gz of a .gz of a .gz is three levels.
gen deep 10 | gzip | gzip | gzip > deep.gz
walk deep.gz > out 2> err
is "$(val lines "$(row deep.gz "")")/$(val depth "$(row deep.gz "")")" "10/3" "three compressions peeled"
walk --max-depth 2 deep.gz > out 2> err
r=$(row deep.gz "")
is "$(val error "$r")/$(val limit "$r")" "nested deeper than 2 levels (limit --max-depth)/1" "--max-depth stops the third level"

# Line length: the head is kept, the rest skipped and counted.
{ echo first; head -c 100000 /dev/zero | tr '\0' x; echo; echo last; } > long.log
walk --lines --max-line 1000 long.log > out 2> err
ok $? "a long line is not damage"
r=$(row long.log "")
is "$(val lines "$r")/$(val long "$r")" "3/1" "long line counted"
is "$(awk -F'\t' '$1 == "line" && $2 == 2 { print $4 "/" length($5) }' out)" "T/1000" "its first 1000 bytes delivered, flagged"
is "$(awk -F'\t' '$1 == "line" && $2 == 3 { print $3 "/" $5 }' out)" "100007/last" "the next line keeps its offset"

# Member and total sizes.
mkdir -p t
gen one 1000 > t/one.log
gen two 1000 > t/two.log
tar -cf two.tar -C t one.log two.log
walk --max-member-bytes 10000 two.tar > out 2> err
r=$(row two.tar one.log)
is "$(val bytes "$r")/$(val error "$r")" "10000/stream larger than 10000 bytes (limit --max-member-bytes)" "--max-member-bytes stops a stream"
is "$(val bytes "$(row two.tar two.log)")" 10000 "and the next member is read up to it too"
walk --max-total-bytes 50000 two.tar > out 2> err
is "$(val error "$(row two.tar two.log)")" "input larger than 50000 bytes decompressed (limit --max-total-bytes)" "--max-total-bytes stops the input"
is "$(grep -c '^stream' out)" 2 "nothing read after the total limit"

done_testing
