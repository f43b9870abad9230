#!/bin/sh
# Damaged evidence: lines before the damage are kept and counted, the error
# says what and where, every other stream is still read, the SHA-256 still
# covers the whole file.
. "$srcdir/tests/lib.sh"
WALK=$top_builddir/tests/input-walk
mktmp
cd "$tmp" || exit 99

have() { command -v "$1" >/dev/null 2>&1; }
val() { printf '%s\n' "$2" | tr '\t' '\n' | sed -n "s/^$1=//p"; }
row() { awk -F'\t' -v i="$1" -v m="$2" '$1 == "stream" && $2 == i && $3 == m' out; }
gen() { seq 1 "$2" | sed "s/^/Aug  3 09:41:12 srv-db-07 kernel: $1 /"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# flip FILE OFFSET COUNT: overwrites COUNT bytes at OFFSET with garbage
flip() { printf '%*s' "$3" '' | tr ' ' '\125' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

# A truncated gzip file: everything zlib could decode is kept, the last
# partial line included.
gen truncated 20000 | gzip > full.gz
head -c $(($(stat -c %s full.gz) / 2)) full.gz > trunc.gz
"$WALK" trunc.gz > out 2> err
is $? 1 "exit 1 for a truncated gzip file"
r=$(row trunc.gz "")
want=$(gzip -dc trunc.gz 2>/dev/null | awk 'END { print NR }')
is "$(val lines "$r")" "$want" "every line gzip -d recovers is kept"
is "$(val error "$r")/$(val limit "$r")" "truncated gzip data/0" "the error names the truncation"
is "$(val offset "$r")" "$(gzip -dc trunc.gz 2>/dev/null | wc -c | tr -d ' ')" "the error offset is where the data stops"
check "diagnostic names input@offset" grep -q "trunc.gz@$(val offset "$r"): truncated gzip data" err
is "$(val sha256 "$(grep '^input' out)")" "$(sha trunc.gz)" "SHA-256 of the damaged file"

# Corrupt deflate data in the middle.
cp full.gz corrupt.gz
flip corrupt.gz 40000 64
"$WALK" corrupt.gz > out 2> err
is $? 1 "exit 1 for corrupt gzip data"
r=$(row corrupt.gz "")
case $(val error "$r") in "gzip data error: "*) ok 0 "corrupt data: zlib's reason" ;; *) ok 1 "corrupt data: zlib's reason"; echo "# $r" ;; esac
ok "$([ "$(val lines "$r")" -gt 1000 ]; echo $?)" "lines before the damage kept"

# A truncated tarball: members before the cut are whole, the one cut is
# kept up to the cut, and the reason is libarchive's.
mkdir -p srv/var/log
gen auth 3000 > srv/var/log/auth.log
gen kern 3000 > srv/var/log/kern.log
gen syslog 3000 > srv/var/log/syslog
(cd srv && tar -cf ../srv.tar var/log/auth.log var/log/kern.log var/log/syslog)
head -c $(($(stat -c %s srv.tar) * 1 / 2)) srv.tar > cut.tar
"$WALK" cut.tar > out 2> err
is $? 1 "exit 1 for a truncated tar"
is "$(val lines "$(row cut.tar var/log/auth.log)")/$(val error "$(row cut.tar var/log/auth.log)")" "3000/-" "member before the cut is whole"
r=$(row cut.tar var/log/kern.log)
ok "$([ "$(val lines "$r")" -gt 0 ] && [ "$(val lines "$r")" -lt 3000 ]; echo $?)" "member at the cut: lines before it kept"
is "$(val error "$r")" "Truncated tar archive" "libarchive's message"
is "$(grep -c '^stream' out)" 2 "nothing invented after the cut"

# A damaged member header: libarchive looks for the next one, the member
# behind the bad header is lost, the rest is read, one problem reported.
cp srv.tar badhdr.tar
s=$(stat -c %s srv/var/log/auth.log)
flip badhdr.tar $((512 + (s + 511) / 512 * 512 + 100)) 40
timeout 60 "$WALK" badhdr.tar > out 2> err
is $? 1 "exit 1 for a damaged tar header"
is "$(val lines "$(row badhdr.tar var/log/auth.log)")/$(val lines "$(row badhdr.tar var/log/syslog)")" "3000/3000" "members around the bad header are read"
is "$(grep -c 'Damaged tar archive; looking for the next member' err)" 1 "one problem for the damaged header"
check "the problem is cited where the bad header begins" grep -q "badhdr.tar@$((512 + (s + 511) / 512 * 512)): Damaged tar archive" err

# The same as a truncated tar.gz: the gzip layer is named as the cause.
gzip -c srv.tar > srv.tar.gz
head -c $(($(stat -c %s srv.tar.gz) / 2)) srv.tar.gz > cut.tar.gz
"$WALK" cut.tar.gz > out 2> err
is $? 1 "exit 1 for a truncated tar.gz"
is "$(val lines "$(row cut.tar.gz var/log/auth.log)")" 3000 "tar.gz: member before the cut is whole"
is "$(awk -F'\t' '$1 == "stream" && $NF != "offset=-"' out | wc -l | tr -d ' ')" 1 "tar.gz: one stream carries the error"
check "tar.gz: the gzip truncation is the reason" grep -q "truncated gzip data" out

# A zip with one damaged entry: the others are still read.
if have python3; then
	python3 - <<'EOF'
import zipfile
with zipfile.ZipFile("bad.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for name in ("var/log/auth.log", "var/log/kern.log", "var/log/syslog"):
        z.write("srv/" + name, name)
d = bytearray(open("bad.zip", "rb").read())
i = d.find(b"PK\x03\x04")
n = int.from_bytes(d[i + 26:i + 28], "little") + int.from_bytes(d[i + 28:i + 30], "little")
for k in range(i + 30 + n + 100, i + 30 + n + 400):
    d[k] ^= 0x55
open("bad.zip", "wb").write(d)
EOF
	"$WALK" bad.zip > out 2> err
	is $? 1 "exit 1 for a zip with a bad entry"
	case $(val error "$(row bad.zip var/log/auth.log)") in -) ok 1 "the bad entry has an error" ;; *) ok 0 "the bad entry has an error" ;; esac
	is "$(val lines "$(row bad.zip var/log/kern.log)")/$(val lines "$(row bad.zip var/log/syslog)")" "3000/3000" "entries after the bad one are read"
else
	for i in 1 2 3; do skip "python3 not installed"; done
fi

# A corrupt xz member in a tarball; its neighbours are fine.
if have xz; then
	mkdir -p x/var/log
	gen xz 20000 | xz > x/var/log/syslog.1.xz
	cp srv/var/log/auth.log x/var/log/
	flip x/var/log/syslog.1.xz 30000 32
	(cd x && tar -cf ../x.tar var/log/syslog.1.xz var/log/auth.log)
	"$WALK" x.tar > out 2> err
	is $? 1 "exit 1 for a corrupt xz member"
	case $(val error "$(row x.tar var/log/syslog.1.xz)") in -) ok 1 "corrupt xz member has an error" ;; *) ok 0 "corrupt xz member has an error" ;; esac
	is "$(val lines "$(row x.tar var/log/auth.log)")" 3000 "the next member is read"
else
	for i in 1 2 3; do skip "xz not installed"; done
fi

# Empty and NUL-filled files are streams without errors.
: > empty.log
printf '' | gzip > empty.gz
dd if=/dev/zero of=zeroed.log bs=4096 count=4 2>/dev/null
"$WALK" empty.log empty.gz zeroed.log > out 2> err
ok $? "empty and NUL-filled files are not damage"
is "$(val lines "$(row empty.log "")")/$(val lines "$(row empty.gz "")")" "0/0" "empty files: zero lines"
r=$(row zeroed.log "")
is "$(val lines "$r")/$(val nul "$r")/$(val bytes "$r")" "1/1/16384" "NUL-filled log: one line of NULs, not an empty tar"

# Bytes after the last gzip member: zeros are padding, read past quietly
# as gzip -d does; anything else is evidence that was not read, reported
# with its size and offset, while the lines before it are all kept.
gen tail 3000 | gzip > tail.gz
size=$(stat -c %s tail.gz)
cp tail.gz padded.gz
dd if=/dev/zero bs=1024 count=8 2>/dev/null >> padded.gz
cp tail.gz hidden.gz
printf 'Aug  3 09:41:13 srv-db-07 sshd[1]: hidden after the gzip data\n' >> hidden.gz
extra=$(($(stat -c %s hidden.gz) - size))
"$WALK" padded.gz > out 2> err
ok $? "zero padding after the gzip data is not damage"
is "$(val lines "$(row padded.gz "")")" 3000 "padded: every line read"
"$WALK" hidden.gz > out 2> err
is $? 1 "exit 1 when data follows the gzip data"
is "$(val lines "$(row hidden.gz "")")/$(val error "$(row hidden.gz "")")" "3000/-" \
    "the gzip data is read whole; the stream itself is not damaged"
check "the input names the bytes not read and where they start" \
    grep -q "error=$extra bytes after the end of the gzip data are not gzip: not read at byte $size" out
check "diagnostic names input@offset" grep -q "hidden.gz@$size: $extra bytes after the end" err
is "$(val sha256 "$(grep '^input' out)")" "$(sha hidden.gz)" "SHA-256 covers the bytes not read"
mkdir -p t/var/log
cp hidden.gz t/var/log/syslog.2.gz
(cd t && tar -cf ../t.tar var/log/syslog.2.gz)
"$WALK" t.tar > out 2> err
check "inside an archive: the member is named" \
    grep -q "t.tar!var/log/syslog.2.gz@$size: $extra bytes after the end of the gzip data" err

done_testing
