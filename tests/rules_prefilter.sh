#!/bin/sh
# The literal prefilter only decides which rules are tried on a line, never
# what matches: the Hyperscan search (whole blocks at a time, or line by
# line) and the portable anchor index must give the same events, on every
# sample and on lines cut across read blocks.
. "$srcdir/tests/lib.sh"
mktmp
portable=$top_builddir/tests/faultline-portable

check "portable matcher: every rule example" "$portable" rules test

# Lines of every length across the 128 KiB read blocks, with literals at
# the very start and end of lines and split by the block edges.
awk 'BEGIN {
	for (i = 0; i < 40000; i++) {
		pad = sprintf("%*s", (i * 37) % 300, "")
		gsub(/ /, "x", pad)
		printf "Mar  %d 10:%02d:%02d web-%02d app[9]: GET /%s\n", \
		    1 + i % 3, i / 60 % 60, i % 60, i % 7, pad
		printf "Mar  %d 10:%02d:%02d web-%02d sshd[%d]: Failed password for root from 198.51.100.%d port %d ssh2\n", \
		    1 + i % 3, i / 60 % 60, i % 60, i % 7, 100 + i, i % 250, 1024 + i
		if (i % 1000 == 0)
			printf "Mar  1 10:00:00 web-01 apcupsd[7]: Power failure.\n"
	}
}' > "$tmp/edges.log"
gzip -c "$tmp/edges.log" > "$tmp/edges.log.gz"

for what in "$tmp/edges.log" "$tmp/edges.log.gz" "$srcdir"/samples/*/evidence; do
	name=${what#"$srcdir/"}
	name=${name#"$tmp/"}
	"$FAULTLINE" timeline --format jsonl -j 1 "$what" > "$tmp/hs" 2>&1
	"$portable" timeline --format jsonl -j 1 "$what" > "$tmp/portable" 2>&1
	check "$name: same events with either prefilter" cmp "$tmp/hs" "$tmp/portable"
	"$FAULTLINE" timeline --format jsonl -j 4 "$what" > "$tmp/piped" 2>&1
	check "$name: same events read ahead on threads" cmp "$tmp/hs" "$tmp/piped"
done
"$FAULTLINE" timeline --format jsonl "$tmp/edges.log.gz" > "$tmp/edges.jsonl"
is "$(jq -s '[.[] | select(.rule == "fl-sec-sshd-failed") | .repeat // 1] | add' "$tmp/edges.jsonl")" \
    40000 "every failed password line across the block edges is counted"
is "$(jq -s '[.[] | select(.rule == "fl-power-apcupsd-power-failure")] | length' "$tmp/edges.jsonl")" \
    40 "every power failure line is found"
done_testing
