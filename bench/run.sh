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
# Throughput is uncompressed MB (10^6 bytes) per second of wall time;
# "cpu s" is user + system time of the command and its children. Ratios
# are to the floors measured in the same run (wall time, and in the cpu
# columns CPU time, which is steadier on a busy machine but says nothing
# of threads working in parallel). Every command writes its output to a
# file: GNU grep and ripgrep stop at the first match when it is /dev/null.
set -eu

: "${FAULTLINE:?set FAULTLINE to the faultline binary (make bench does)}"
: "${GEN:?set GEN to bench/gen-syslog (make bench does)}"
# PRESCAN (bench/prescan, set by make bench) adds the literal search alone.
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
# and ripgrep accept them and they need some text (a pattern such as
# `\S.*$` of a rule that selects on fields would match every line).
PAT="$DIR/patterns.ere"
awk -f "$srcdir/bench/patterns.awk" $(find "$srcdir/rules" -name '*.yml' |
    sort) > "$DIR/patterns.all"
: > "$PAT"
npat_all=0
while IFS= read -r p; do
	npat_all=$((npat_all + 1))
	st=0; grep -E -e "$p" /dev/null 2>/dev/null || st=$?
	[ "$st" -eq 2 ] && continue
	printf 'Mar  1 00:00:00 h app[1]: x\n' | grep -qE -e "$p" && continue
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
	best="" rss="" cpu=""
	r=0
	while [ "$r" -lt "$REPEAT" ]; do
		if [ -x /usr/bin/time ]; then
			st=0
			/usr/bin/time -f '%e %M %U %S' -o "$TMP/t" sh -c "$*" \
			    > "$TMP/out" 2> "$TMP/err" || st=$?
			# grep-like tools exit 1 when nothing matched
			if [ "$st" -gt 1 ]; then
				msg "$name failed: $(tail -n 3 "$TMP/err")"
				echo "$name|-|-|-|-|-|failed" >> "$ROWS"
				return 0
			fi
			t=$(tail -n 1 "$TMP/t" | awk '{print $1}')
			m=$(tail -n 1 "$TMP/t" | awk '{print $2}')
			c=$(tail -n 1 "$TMP/t" | awk '{print $3 + $4}')
		else
			s=$(date +%s.%N)
			sh -c "$*" > "$TMP/out" 2> "$TMP/err" || true
			t=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2 - $1}')
			m="" c=""
		fi
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
			best=$t rss=$m
		fi
		if [ -n "$c" ] && { [ -z "$cpu" ] ||
		    awk "BEGIN{exit !($c < $cpu)}"; }; then
			cpu=$c
		fi
		r=$((r + 1))
	done
	rm -f "$TMP/out"
	echo "$name|$best|$sbytes|$slines|$rss|$note|$cpu" >> "$ROWS"
	msg "$name: ${best}s wall, ${cpu:-?}s cpu"
}

absent() {
	echo "$1|-|-|-|-|$2|" >> "$ROWS"
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
# The literal search alone, timed inside the call: the part of the
# library's cost that every byte pays whatever the rules do.
if [ -n "${PRESCAN:-}" ] && [ -x "$PRESCAN" ]; then
	best=""
	r=0
	while [ "$r" -lt "$REPEAT" ]; do
		st=0
		t=$("$PRESCAN" "$@" 2> "$TMP/err") || st=$?
		if [ "$st" -ne 0 ]; then
			best=""
			break
		fi
		t=${t%% *}
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
			best=$t
		fi
		r=$((r + 1))
	done
	if [ -n "$best" ]; then
		echo "literal search alone (prescan)|$best|$BYTES|$LINES||timed inside; no parsing|$best" >> "$ROWS"
	else
		absent "literal search alone (prescan)" "$(head -n 1 "$TMP/err")"
	fi
fi
# A single stream: what one large file costs; with more threads than
# files, a spare thread decompresses and splits lines ahead of the worker.
for j in $JOBS; do
	run "faultline timeline -j $j, one file" $((BYTES / FILES)) \
	    $((LINES / FILES)) "1/$FILES of the corpus (approx.)" -- \
	    "'$FAULTLINE' timeline -q -j $j '$1'"
done
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
	$1 == "gzip -dc" && $2 != "-" { gz = $3 / $2 / 1e6; gzc = $7 }
	$1 == "igzip -dc" && $2 != "-" { ig = $3 / $2 / 1e6; igc = $7 }
	$1 == "faultline timeline -j 1" && $2 != "-" { full = $2 }
	$1 ~ /--no-default-rules$/ && $2 != "-" { parse = $2 }
	$1 ~ /^literal search alone/ && $2 != "-" { lit = $2 }
	{ row[NR] = $0 }
	function r(x) { return x ? sprintf("%.2f", x) : "-" }
	END {
		fmt = "%-42s %7s %7s %7s %6s %6s %6s %6s %6s %6s  %s\n"
		printf fmt, "tool", "wall s", "cpu s", "MB/s", "Ml/s", "RSS MB",
		    "x gz", "x ig", "cpu/gz", "cpu/ig", "note"
		for (i = 1; i <= NR; i++) {
			split(row[i], f, "|")
			if (f[2] == "-") {
				printf fmt, f[1], "-", "-", "-", "-", "-", "-", "-",
				    "-", "-", f[6]
				continue
			}
			t = f[2] > 0 ? f[2] : 0.005
			c = f[7] != "" ? f[7] : ""
			rss = f[5] == "" ? "-" : sprintf("%.0f", f[5] / 1024)
			if (f[3] == 0) {
				printf fmt, f[1], sprintf("%.3f", f[2]),
				    c == "" ? "-" : sprintf("%.3f", c), "-", "-", rss,
				    "-", "-", "-", "-", f[6]
				continue
			}
			mbs = f[3] / t / 1e6
			# the floors decompress the whole corpus: scale by bytes
			cg = (c != "" && c > 0 && gzc > 0) ? \
			    (f[3] / c) / (BYTES / gzc) : 0
			ci = (c != "" && c > 0 && igc > 0) ? \
			    (f[3] / c) / (BYTES / igc) : 0
			printf fmt, f[1], sprintf("%.2f", f[2]),
			    c == "" ? "-" : sprintf("%.2f", c),
			    sprintf("%.1f", mbs), sprintf("%.2f", f[4] / t / 1e6),
			    rss, gz ? r(mbs / gz) : "-", ig ? r(mbs / ig) : "-",
			    r(cg), r(ci), f[6]
		}
		if (full && parse) {
			printf "the library over parsing alone (timeline -j 1): %+.0f%%", \
			    (full / parse - 1) * 100
			if (lit)
				printf "; the literal search alone: %.0f%% of parsing", \
				    lit / parse * 100
			printf "\n"
		}
	}' BYTES="$BYTES" "$ROWS"
} | tee "$OUT"
