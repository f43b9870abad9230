#!/bin/sh
# Generates a small seed corpus for one fuzz target from the bundled
# samples and, when present, the shared corpus of real logs
# (${FL_CORPUS:-SRCDIR/../shared/corpus}); nothing generated here is
# committed.
#   seeds.sh SRCDIR TARGET OUTDIR
set -e
src=$1 target=$2 out=$3
corpus=${FL_CORPUS:-$src/../shared/corpus}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/fl-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
have() { command -v "$1" >/dev/null 2>&1; }

# Text logs: every sample stream, decompressed, and the corpus files.
texts() {
	mkdir -p "$work/text"
	n=0
	for f in "$src"/samples/*/evidence/*.tar.gz; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		mkdir -p "$work/x$n"
		tar -xzf "$f" -C "$work/x$n" 2>/dev/null || :
	done
	find "$work"/x* "$src"/samples/*/evidence -type f 2>/dev/null |
	while read -r f; do
		case $f in
		*.tar.gz) ;;
		*.gz) gzip -dc "$f" 2>/dev/null | head -200 > "$work/text/$(echo "$f" | cksum | cut -d' ' -f1)" ;;
		*) head -200 "$f" > "$work/text/$(echo "$f" | cksum | cut -d' ' -f1)" ;;
		esac
	done
	if [ -d "$corpus" ]; then
		find "$corpus" -type f ! -name '*.md' | while read -r f; do
			head -200 "$f" > "$work/text/c$(echo "$f" | cksum | cut -d' ' -f1)"
		done
	fi
}

case $target in
parse)
	texts
	i=0
	for f in "$work"/text/*; do
		i=$((i + 1))
		split -l 25 -a 3 "$f" "$work/p$i."
	done
	# The first byte is the mode (format hint, CSV header): 0 sniffs.
	i=0
	for f in "$work"/p*; do
		i=$((i + 1))
		[ $((i % 10)) -eq 0 ] || continue
		{ printf '\000'; cat "$f"; } > "$out/s$i"
	done
	;;
input|scan)
	texts
	mkdir -p "$work/a/var/log" "$work/b"
	ls "$work"/text | head -6 | while read -r f; do
		head -40 "$work/text/$f" > "$work/a/var/log/$f.log"
	done
	one=$(ls "$work"/a/var/log/* | head -1)
	cp "$one" "$out/plain"
	gzip -c "$one" > "$out/gz"
	gzip -c "$one" | gzip -c > "$out/gzgz"
	bzip2 -c "$one" > "$out/bz2"
	xz -c "$one" > "$out/xz"
	have zstd && zstd -q -c "$one" > "$out/zst"
	have lz4 && lz4 -q -c "$one" > "$out/lz4"
	(cd "$work/a" && tar -cf "$out/tar" var)
	(cd "$work/a" && tar -czf "$out/tgz" var)
	(cd "$work/a" && tar -cJf "$out/txz" var)
	(cd "$work/a" && find var | cpio -o -H newc > "$out/cpio" 2>/dev/null) || :
	have zip && (cd "$work/a" && zip -qr "$out/zip" var)
	have bsdtar && (cd "$work/a" && bsdtar -cf "$out/7z" --format 7zip var)
	gzip -c "$out/tar" > "$work/b/inner.tar.gz"
	cp "$one" "$work/b/syslog"
	gzip -c "$one" > "$work/b/syslog.2.gz"
	(cd "$work/b" && tar -cf "$out/nested.tar" inner.tar.gz syslog syslog.2.gz)
	head -c 3000 "$out/tgz" > "$out/tgz-cut"
	head -c 5000 "$out/tar" > "$out/tar-cut"
	head -c 100 /dev/zero > "$out/nuls"
	;;
rules)
	i=0
	find "$src/rules" -name '*.yml' | sort | while read -r f; do
		i=$((i + 1))
		awk -v p="$out/r$i." 'BEGIN { n = 0 } /^---/ { n++; next }
		    { print > (p n) }' "$f"
	done
	;;
cond)
	find "$src/rules" -name '*.yml' -exec grep -h '^  condition:' {} + |
	sed 's/^  condition: *//; s/^'"'"'//; s/'"'"'$//' | sort -u |
	awk -v p="$out/c" '{ printf "%s", $0 > (p NR) }'
	printf 'selection and not filter' > "$out/x1"
	printf '1 of sel_* and (keywords or all of them)' > "$out/x2"
	printf 'not (selection or filter) and _hidden' > "$out/x3"
	;;
*)
	echo "seeds.sh: unknown target $target" >&2
	exit 2
	;;
esac
echo "seeds: $target: $(ls "$out" | wc -l) inputs in $out"
