#!/bin/sh
# Hostile archives: random bytes, truncated and corrupt gzip, xz, bzip2 and
# zstd streams, truncated tar and zip, a gzip bomb and a zip bomb, archives
# nested beyond --max-depth, and member names that try to be paths
# (../../etc/passwd, /etc/shadow, 10 KB, invalid UTF-8, escapes). Each run
# finishes within 60 s and 1.5 GB, exits 1 when something was damaged,
# names the file and position of the damage on stderr and in the JSON, and
# counts every line (lines == parsed + unparsed). No input is ever opened
# for writing or changed, and nothing is written but -o: the runs happen in
# an empty directory that must stay empty.
. "$srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
mktmp
mkdir -p "$tmp/in" "$tmp/out" "$tmp/run/a/b"
cd "$tmp/in" || exit 99

asan=no
{ ldd "$FAULTLINE" 2>/dev/null | grep -q libasan || grep -q __asan_init "$FAULTLINE"; } && asan=yes
# fl ARGS...: faultline in the empty directory, limited in time and, but
# under ASan (which reserves terabytes of address space), in memory;
# stdout to $tmp/out/o, stderr to $tmp/out/e.
fl() {
	(
		cd "$tmp/run/a/b" || exit 99
		[ $asan = yes ] || ulimit -v 1572864
		exec timeout 60 "$FAULTLINE" "$@"
	) > "$tmp/out/o" 2> "$tmp/out/e"
}
jqo() { jq -r "$1" "$tmp/out/o"; }
balanced() {
	jq -e '[.inputs[].members[] | select(.lines != .parsed + .unparsed)] | length == 0' "$tmp/out/o" >/dev/null
}
gen() { seq 1 "$2" | sed "s/^/Aug  3 09:41:12 srv-db-07 kernel: $1 /"; }
no_esc() { ! grep -q "$(printf '\033')" "$tmp/out/o" "$tmp/out/e"; }

# --- the evidence, generated here (nothing of it is committed) ---
gen base 20000 > base.log
for c in gzip bzip2 xz zstd; do
	have $c || continue
	$c -c base.log > whole.$c
	s=$(wc -c < whole.$c)
	head -c $((s / 2)) whole.$c > trunc.$c
	cp whole.$c corrupt.$c
	printf '%64s' '' | tr ' ' U |
	    dd of=corrupt.$c bs=1 seek=$((s / 2)) conv=notrunc 2>/dev/null
	rm -f whole.$c
done
rm -f base.log
# empty compressed files (an empty log rotated and compressed), and an
# empty one followed by more data
for c in gzip bzip2 xz zstd lz4; do
	have $c && : | $c -c > empty.$c
done
have lz4 && { : | lz4 -c; echo "Aug  3 09:41:12 srv-db-07 kernel: behind"; } > tail.lz4
# random bytes behind a gzip magic
{ printf '\037\213\010'; head -c 100000 /dev/urandom; } > random.gz

mkdir -p t/var/log
for i in 1 2 3; do gen "f$i" 3000 > t/var/log/f$i.log; done
(cd t && tar -cf ../whole.tar var/log/f1.log var/log/f2.log var/log/f3.log)
head -c $(($(wc -c < whole.tar) / 2)) whole.tar > cut.tar
if have zip; then
	(cd t && zip -qr ../whole.zip var)
	head -c $(($(wc -c < whole.zip) / 2)) whole.zip > cut.zip
fi
rm -rf t whole.tar whole.zip

# gzip bomb: 1000 concatenated members of 10 MB of zeros: 10 GB, 10 MB here
head -c 10000000 /dev/zero | gzip -9 > z10m
i=0
while [ $i -lt 1000 ]; do cat z10m; i=$((i + 1)); done > bomb.gz
rm -f z10m
# zip bomb: 200 MB of zeros deflated, then an ordinary log
if have zip; then
	mkdir z
	head -c 200000000 /dev/zero | (cd z && zip -q ../bomb.zip -)
	gen after 500 > z/after.log
	(cd z && zip -q ../bomb.zip after.log)
	rm -rf z
fi

# tar.gz nested ten deep, a log at the bottom
gen deep 10 > n0
i=1
while [ $i -le 10 ]; do
	tar -cf n$i.tar n$((i - 1))*
	gzip -f n$i.tar
	rm -f n$((i - 1))*
	i=$((i + 1))
done

# member names that are paths, huge, invalid UTF-8 or terminal escapes
if have python3; then
	python3 - <<'PY'
import tarfile, io
names = ['../../etc/passwd', '/etc/shadow', '../../../../../../tmp/x',
         'a/' + 'x' * 10000 + '.log',
         b'bad-\xff\xfe.log'.decode('utf-8', 'surrogateescape'),
         'esc-\x1b]0;pwned\x07\x1b[2J.log', 'ok.log']
with tarfile.open('names.tar', 'w', format=tarfile.PAX_FORMAT) as t:
    for i, n in enumerate(names):
        data = b'Aug  3 09:41:12 srv sshd[1]: hello %d\n' % i
        ti = tarfile.TarInfo(n); ti.size = len(data); ti.mtime = 1722676872
        t.addfile(ti, io.BytesIO(data))
PY
fi

# member mtimes no calendar holds (pax headers carry any 64-bit value)
if have python3; then
	python3 - <<'PY'
import tarfile, io
with tarfile.open('mtimes.tar', 'w', format=tarfile.PAX_FORMAT) as t:
    for i, m in enumerate([99999999999999999, -99999999999999999, 9223372036854775807]):
        data = b'Aug  3 09:41:12 srv sshd[1]: far %d\n' % i
        ti = tarfile.TarInfo('far%d.log' % i); ti.size = len(data); ti.mtime = m
        ti.pax_headers = {'mtime': str(m)}
        t.addfile(ti, io.BytesIO(data))
PY
fi

sha256sum * > "$tmp/out/sums"
touch "$tmp/out/start"
sleep 1

# --- the runs ---
# damaged NAME WANT: exit 1, the stream carries an error with an offset,
# stderr names NAME@OFFSET and the reason, and at least WANT lines before
# the damage are kept, all counted.
named() { grep -F "@$2: $3" "$tmp/out/e" | grep -qF "/in/$1"; }
damaged() {
	fl sources --format json "$tmp/in/$1"
	is $? 1 "$1: exit 1"
	msg=$(jqo '[.inputs[0].members[].errors[]][0].message')
	off=$(jqo '[.inputs[0].members[].errors[]][0].offset')
	check "$1: the JSON names the damage and its offset" test "$msg" != null -a "$off" != null
	check "$1: stderr names file[!member]@offset and the reason" named "$1" "$off" "$msg"
	check "$1: counted" balanced
	ok "$([ "$(jqo '[.inputs[0].members[].lines] | add')" -ge "$2" ]; echo $?)" "$1: at least $2 lines kept"
}
for c in gzip bzip2 xz zstd; do
	if [ ! -f trunc.$c ]; then
		for i in 1 2 3 4 5 6 7 8 9 10; do skip "$c not installed"; done
		continue
	fi
	# bzip2 decodes whole 900 KB blocks: a cut block yields nothing.
	want=1000
	[ $c = bzip2 ] && want=0
	damaged trunc.$c $want
	damaged corrupt.$c $want
done
damaged random.gz 0
for c in gzip bzip2 xz zstd lz4; do
	if [ -f empty.$c ]; then
		fl sources --format json "$tmp/in/empty.$c"
		is "$?/$(jqo '.inputs[0] | "\(.status) \(.members | length) \(.members[0].lines)"')" "0/ok 1 0" "empty.$c: one empty stream, not damage"
	else
		skip "$c not installed"
	fi
done
if [ -f tail.lz4 ]; then damaged tail.lz4 0; else
	for i in 1 2 3 4 5; do skip "lz4 not installed"; done
fi
damaged cut.tar 4000
is "$(jqo '.inputs[0].members[0] | "\(.path) \(.lines)"')" "var/log/f1.log 3000" "cut.tar: the member before the cut is whole"
if [ -f cut.zip ]; then damaged cut.zip 4000; else
	for i in 1 2 3 4 5; do skip "zip not installed"; done
fi

fl sources --format json "$tmp/in/bomb.gz"
is $? 1 "gzip bomb: exit 1"
is "$(jqo '.inputs[0].members[0].errors[0] | "\(.message) \(.limit)"')" "compression ratio above 1000:1 (limit --max-ratio) true" "gzip bomb: the ratio limit is named"
ok "$([ "$(jqo '.inputs[0].members[0].bytes')" -lt 16777216 ]; echo $?)" "gzip bomb: stopped within 16 MiB of 10 GB"
check "gzip bomb: a warning names file@offset" grep -q "bomb.gz@[0-9]*: warning: compression ratio above 1000:1" "$tmp/out/e"
if [ -f bomb.zip ]; then
	fl sources --format json "$tmp/in/bomb.zip"
	is $? 1 "zip bomb: exit 1"
	is "$(jqo '[.inputs[0].members[] | select(.errors[0].limit)] | map(.path) | join(" ")')" - "zip bomb: the entry is stopped by a limit"
	ok "$([ "$(jqo '[.inputs[0].members[].bytes] | add')" -lt 16777216 ]; echo $?)" "zip bomb: stopped within 16 MiB of 200 MB"
	is "$(jqo '.inputs[0].members[] | select(.path == "after.log") | .lines')" 500 "zip bomb: the entry after it is read"
else
	for i in 1 2 3 4; do skip "zip not installed"; done
fi

fl sources --format json "$tmp/in/n10.tar.gz"
is $? 1 "nested ten deep: exit 1"
is "$(jqo '[.inputs[0].members[].errors[]][0] | "\(.message) \(.limit)"')" "nested deeper than 4 levels (limit --max-depth) true" "nested: the depth limit is named"
check "nested: a warning names the chain" grep -q "n10.tar.gz!n9.tar.gz!n8.tar.gz!n7.tar.gz!n6.tar.gz@0: warning: nested deeper than 4 levels" "$tmp/out/e"
fl sources --format json --max-depth 32 "$tmp/in/n10.tar.gz"
is "$(jqo '[.inputs[0].members[].lines] | add')" 10 "nested: with --max-depth 32 the log at the bottom is read"

if [ -f names.tar ]; then
	fl sources --format json "$tmp/in/names.tar"
	is $? 0 "odd member names are not damage"
	is "$(jqo '.inputs[0].members | length')" 7 "every member read"
	is "$(jqo '.inputs[0].members[0:3] | map(.path) | join(" ")')" "../../etc/passwd /etc/shadow ../../../../../../tmp/x" "path-like names kept as written"
	is "$(jqo '.inputs[0].members[3].path | length')" 10006 "a 10 KB name kept whole"
	check "invalid UTF-8 in a name: JSON stays valid, bytes escaped" grep -q 'bad-\\u00ff\\u00fe.log' "$tmp/out/o"
	fl sources "$tmp/in/names.tar"
	check "text: an escape in a name is shown escaped" grep -qF 'esc-\x1b]0;pwned\x07\x1b[2J.log' "$tmp/out/o"
	check "sources text and stderr: no ESC byte" no_esc
	fl timeline --all "$tmp/in/names.tar"
	is "$(wc -l < "$tmp/out/o" | tr -d ' ')" 7 "timeline: one line per member"
	check "timeline: no ESC byte" no_esc
else
	for i in 1 2 3 4 5 6 7 8 9; do skip "python3 not installed"; done
fi

if [ -f mtimes.tar ]; then
	fl sources --format json "$tmp/in/mtimes.tar"
	is $? 0 "out-of-range member mtimes: not damage"
	is "$(jqo '[.inputs[0].members[] | .mtime_source] | unique | join(" ")')" file "out-of-range member mtimes: ignored, the file's used"
	is "$(grep -c 'mtimes.tar!far[0-9].log: note: mtime -\{0,1\}[0-9]* out of range, ignored' "$tmp/out/e")" 3 "out-of-range member mtimes: each noted"
else
	for i in 1 2 3; do skip "python3 not installed"; done
fi

# An empty directory, and one holding only empty directories.
mkdir -p "$tmp/empty/a/b" "$tmp/none"
fl sources --format json "$tmp/none" "$tmp/empty"
is "$?/$(jqo '.inputs | length')" "2/0" "empty directories: nothing readable, exit 2"

# Everything at once, with -o: the report is there, balanced.
fl sources -j 2 --format json -o "$tmp/out/all.json" "$tmp/in"
is $? 1 "all the evidence at once: exit 1"
check "-o writes the report" jq -e '.inputs | length > 5' "$tmp/out/all.json"
check "all at once: counted" jq -e '[.inputs[].members[] | select(.lines != .parsed + .unparsed)] | length == 0' "$tmp/out/all.json"
if have strace && strace -f -qq -o /dev/null true 2>/dev/null; then
	(cd "$tmp/run/a/b" && timeout 120 strace -f -qq -e trace=open,openat,creat,truncate,ftruncate,unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat,symlink,symlinkat,link,linkat \
	    -o "$tmp/out/trace" "$FAULTLINE" timeline -j 2 --all -o "$tmp/out/tl" "$tmp/in" >/dev/null 2>&1)
	is "$(grep -v ' = -1 ' "$tmp/out/trace" | grep -c "$tmp/in.*O_\(WRONLY\|RDWR\|CREAT\|TRUNC\)")" 0 "no input opened for writing"
	is "$(grep -v "O_RDONLY" "$tmp/out/trace" | grep -v "$tmp/out/tl" | grep -v ' = -1 ' | grep -vc 'exited\|killed\|resumed')" 0 "nothing created, renamed, removed or written but -o"
else
	skip "strace not usable here"
	skip "strace not usable here"
fi

check "no input changed (SHA-256 before and after)" sha256sum -c --quiet "$tmp/out/sums"
is "$(find "$tmp/run" -mindepth 1 | sed "s|^$tmp/run||" | tr '\n' ' ')" "/a /a/b " "the working directory stays empty"
is "$(find "$tmp" -newer "$tmp/out/start" ! -type d ! -path "$tmp/out/*" | wc -l | tr -d ' ')" 0 "no file created outside -o"

done_testing
