#!/bin/sh
# bench/run.sh: generates a gzip'd syslog corpus (once, cached), then runs
# the decompression floors, faultline and the tools an investigator would
# otherwise use on the same data in the same run, and prints one table.
# Run through `make bench`, which builds faultline and bench/gen-syslog and
# sets FAULTLINE, GEN and srcdir. Knobs (environment or make variables):
#
#   BENCH_SIZE_MB  corpus size, uncompressed (default 1024)
#   BENCH_FILES    number of hosts, one gzip'd syslog each (default 4)
#   BENCH_JOBS     faultline -j values (default "1 N", N = online cores)
#   BENCH_REPEAT   runs per measurement, the fastest is kept (default 3)
#   BENCH_SLICE_MB size of the slice the slow peers read (default 4)
#   BENCH_DIR      where the corpus is kept (default ./bench-corpus)
#   BENCH_OUT      where the table is also written (default ./bench-results.txt)
#
# Throughput is uncompressed MB (10^6 bytes) per second of wall time.
# Ratios are to the floors measured in the same run: only those mean
# anything, runs on shared machines vary by 20%.
set -eu

: "${FAULTLINE:?set FAULTLINE to the faultline binary (make bench does)}"
: "${GEN:?set GEN to bench/gen-syslog (make bench does)}"
: "${srcdir:=.}"
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
SIZE_MB=${BENCH_SIZE_MB:-1024}
FILES=${BENCH_FILES:-4}
JOBS=${BENCH_JOBS:-"1 $NCPU"}
REPEAT=${BENCH_REPEAT:-3}
SLICE_MB=${BENCH_SLICE_MB:-4}
DIR=${BENCH_DIR:-bench-corpus}
OUT=${BENCH_OUT:-bench-results.txt}
LC_ALL=C TZ=UTC
export LC_ALL TZ

have() { command -v "$1" >/dev/null 2>&1; }
msg() { echo "bench: $*" >&2; }

# --- corpus -----------------------------------------------------------------
stamp="size=$SIZE_MB files=$FILES gen=$(cksum < "$GEN" | cut -d' ' -f1)"
mkdir -p "$DIR"
if [ ! -f "$DIR/STAMP" ] || [ "$(sed -n 1p "$DIR/STAMP")" != "$stamp" ]; then
	msg "generating $SIZE_MB MB of syslog in $FILES files under $DIR"
	rm -f "$DIR"/*.gz "$DIR/STAMP" "$DIR/slice.gz"
	per=$((SIZE_MB * 1000000 / FILES))
	i=1
	while [ "$i" -le "$FILES" ]; do
		name=$(printf 'host-%02d.syslog.gz' "$i")
		"$GEN" -b "$per" -h "$i" | gzip -6 > "$DIR/$name" &
		# as many compressors at a time as there are cores
		if [ $((i % NCPU)) -eq 0 ]; then wait; fi
		i=$((i + 1))
	done
	wait
	# the slow peers read the first SLICE_MB of the first file
	gzip -dc "$DIR/host-01.syslog.gz" | head -c $((SLICE_MB * 1000000)) |
	    sed '$d' | gzip -6 > "$DIR/slice.gz"
	counts=$(gzip -dc "$DIR"/host-*.syslog.gz | wc -lc)
	scounts=$(gzip -dc "$DIR/slice.gz" | wc -lc)
	printf '%s\n%s\n%s\n' "$stamp" "$counts" "$scounts" > "$DIR/STAMP"
fi
set -- "$DIR"/host-*.syslog.gz
LINES=$(sed -n 2p "$DIR/STAMP" | awk '{print $1}')
BYTES=$(sed -n 2p "$DIR/STAMP" | awk '{print $2}')
SLINES=$(sed -n 3p "$DIR/STAMP" | awk '{print $1}')
SBYTES=$(sed -n 3p "$DIR/STAMP" | awk '{print $2}')
GZBYTES=$(cat "$@" | wc -c)

# The library's patterns for the grep-like peers: kept when both GNU grep
# and ripgrep accept them.
PAT="$DIR/patterns.ere"
awk -f "$srcdir/bench/patterns.awk" $(find "$srcdir/rules" -name '*.yml' |
    sort) > "$DIR/patterns.all"
: > "$PAT"
npat_all=0
while IFS= read -r p; do
	npat_all=$((npat_all + 1))
	st=0; grep -E -e "$p" /dev/null 2>/dev/null || st=$?
	[ "$st" -eq 2 ] && continue
	if have rg; then
		st=0; rg -e "$p" /dev/null >/dev/null 2>&1 || st=$?
		[ "$st" -eq 2 ] && continue
	fi
	printf '%s\n' "$p" >> "$PAT"
done < "$DIR/patterns.all"
NPAT=$(wc -l < "$PAT" | tr -d ' ')
# SEC: one Single rule per pattern, no action (lighter than what faultline
# does with a hit).
awk '{ printf "type=Single\nptype=RegExp\npattern=%s\ndesc=p%d\naction=none\n\n", $0, NR }' \
    "$PAT" > "$DIR/bench.sec"

# --- measuring --------------------------------------------------------------
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
ROWS="$TMP/rows"
: > "$ROWS"

# run NAME SCOPE_BYTES SCOPE_LINES NOTE -- shell command
# Keeps the fastest of REPEAT runs and its peak RSS.
run() {
	name=$1 sbytes=$2 slines=$3 note=$4
	shift 5
	best="" rss=""
	r=0
	while [ "$r" -lt "$REPEAT" ]; do
		if [ -x /usr/bin/time ]; then
			if ! /usr/bin/time -f '%e %M' -o "$TMP/t" sh -c "$*" \
			    > /dev/null 2> "$TMP/err"; then
				msg "$name failed: $(tail -n 3 "$TMP/err")"
				echo "$name|-|-|-|-|-|failed" >> "$ROWS"
				return 0
			fi
			t=$(tail -n 1 "$TMP/t" | awk '{print $1}')
			m=$(tail -n 1 "$TMP/t" | awk '{print $2}')
		else
			s=$(date +%s.%N)
			sh -c "$*" > /dev/null 2> "$TMP/err" || true
			t=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2 - $1}')
			m=""
		fi
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
			best=$t rss=$m
		fi
		r=$((r + 1))
	done
	echo "$name|$best|$sbytes|$slines|$rss|$note" >> "$ROWS"
	msg "$name: ${best}s"
}

absent() {
	echo "$1|-|-|-|-|$2" >> "$ROWS"
	msg "$1: $2"
}

q() { for a in "$@"; do printf "'%s' " "$a"; done; }
FILESQ=$(q "$@")

msg "corpus: $FILES files, $BYTES bytes, $LINES lines ($GZBYTES gzip'd);" \
    "$NPAT of $npat_all patterns usable by grep and rg"

run "gzip -dc" "$BYTES" "$LINES" "floor" -- "gzip -dc $FILESQ"
if have igzip; then
	run "igzip -dc" "$BYTES" "$LINES" "floor" -- "igzip -dc $FILESQ"
else
	absent "igzip -dc" "not installed (Debian: isal)"
fi

# Rules load and compile: faultline on an empty file is that plus start-up.
: > "$TMP/empty.log"
run "faultline: rules load+compile" 0 0 "empty input" -- \
    "'$FAULTLINE' timeline -j 1 '$TMP/empty.log'"

for j in $JOBS; do
	run "faultline timeline -j $j" "$BYTES" "$LINES" "full library" -- \
	    "'$FAULTLINE' timeline -q -j $j $FILESQ"
done
run "faultline timeline -j 1 --no-default-rules" "$BYTES" "$LINES" \
    "parsing only" -- \
    "'$FAULTLINE' timeline -q -j 1 --no-default-rules $FILESQ"
# A single stream: what one large file costs (inflate overlaps matching
# when the build has the reader thread).
run "faultline timeline -j 1, one file" $((BYTES / FILES)) \
    $((LINES / FILES)) "approx. 1/$FILES of the corpus" -- \
    "'$FAULTLINE' timeline -q -j 1 '$1'"
if "$FAULTLINE" analyze -q "$TMP/empty.log" > /dev/null 2>&1 ||
    ! "$FAULTLINE" analyze -q "$TMP/empty.log" 2>&1 | grep -q 'not built'; then
	for j in $JOBS; do
		run "faultline analyze -j $j" "$BYTES" "$LINES" \
		    "full library" -- "'$FAULTLINE' analyze -q -j $j $FILESQ"
	done
else
	absent "faultline analyze" "not in this build"
fi
# Peak RSS against corpus size: the same host count, fewer bytes.
if [ "$FILES" -ge 2 ]; then
	k=1
	while [ $((k * 2)) -le "$FILES" ]; do
		sub=""
		n=0
		for f in "$@"; do
			n=$((n + 1))
			[ "$n" -le "$k" ] && sub="$sub '$f'"
		done
		run "faultline timeline -j 1, $k of $FILES files" \
		    $((BYTES * k / FILES)) $((LINES * k / FILES)) "RSS slope" -- \
		    "'$FAULTLINE' timeline -q -j 1 $sub"
		k=$((k * 2))
	done
fi

if have rg; then
	run "rg -z -c -f patterns" "$BYTES" "$LINES" "$NPAT patterns" -- \
	    "rg -z -c -f '$PAT' $FILESQ"
else
	absent "rg -z -f" "not installed (Debian: ripgrep)"
fi
if have zgrep; then
	run "zgrep -c -E -f patterns" "$SBYTES" "$SLINES" \
	    "$SLICE_MB MB slice, extrapolated" -- \
	    "zgrep -c -E -f '$PAT' '$DIR/slice.gz'"
else
	absent "zgrep -E -f" "not installed (Debian: gzip)"
fi
if have lnav; then
	run "lnav -n (SQL count)" "$BYTES" "$LINES" "headless" -- \
	    "HOME='$TMP' lnav -n -c ';SELECT count(*) FROM syslog_log' $FILESQ"
else
	absent "lnav" "not installed (Debian: lnav)"
fi
if have sec; then
	run "sec ($NPAT Single rules)" "$SBYTES" "$SLINES" \
	    "$SLICE_MB MB slice, extrapolated" -- \
	    "gzip -dc '$DIR/slice.gz' | sec --conf='$DIR/bench.sec' --input=- --notail --quiet"
else
	absent "sec" "not installed (Debian: sec)"
fi

# --- the table --------------------------------------------------------------
{
	echo "faultline benchmark: $FILES gzip'd syslog files, $BYTES bytes," \
	    "$LINES lines uncompressed, $GZBYTES bytes compressed"
	echo "machine: $(uname -m), $NCPU cores," \
	    "$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || echo '?')," \
	    "fastest of $REPEAT runs"
	awk -F'|' '
	$1 == "gzip -dc" && $2 != "-" { gz = $3 / $2 / 1e6 }
	$1 == "igzip -dc" && $2 != "-" { ig = $3 / $2 / 1e6 }
	{ row[NR] = $0 }
	END {
		printf "%-44s %8s %9s %9s %8s %8s %8s  %s\n", "tool", "time s",
		    "MB/s", "Mlines/s", "RSS MB", "x gzip", "x igzip", "note"
		for (i = 1; i <= NR; i++) {
			split(row[i], f, "|")
			if (f[2] == "-") {
				printf "%-44s %8s %9s %9s %8s %8s %8s  %s\n", f[1],
				    "-", "-", "-", "-", "-", "-", f[6]
				continue
			}
			t = f[2] > 0 ? f[2] : 0.005
			mbs = f[3] / t / 1e6
			mls = f[4] / t / 1e6
			rss = f[5] == "" ? "-" : sprintf("%.0f", f[5] / 1024)
			if (f[3] == 0) {
				printf "%-44s %8.3f %9s %9s %8s %8s %8s  %s\n", f[1],
				    f[2], "-", "-", rss, "-", "-", f[6]
				continue
			}
			printf "%-44s %8.2f %9.1f %9.2f %8s %8s %8s  %s\n", f[1],
			    f[2], mbs, mls, rss,
			    gz ? sprintf("%.2f", mbs / gz) : "-",
			    ig ? sprintf("%.2f", mbs / ig) : "-", f[6]
		}
	}' "$ROWS"
} | tee "$OUT"
