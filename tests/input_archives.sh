#!/bin/sh
# The evidence reader on archives and compressed files built here: every
# stream found, with its member chain, name, directory hint, mtime and its
# source, depth and line count; the SHA-256 of each input as sha256sum
# prints it.
. "$srcdir/tests/lib.sh"
WALK=$top_builddir/tests/input-walk
mktmp
cd "$tmp" || exit 99

have() { command -v "$1" >/dev/null 2>&1; }
# val NAME LINE: the value of NAME=... in a tab-separated input-walk line
val() { printf '%s\n' "$2" | tr '\t' '\n' | sed -n "s/^$1=//p"; }
# row INPUT MEMBER: the stream line of that member in out
row() { awk -F'\t' -v i="$1" -v m="$2" '$1 == "stream" && $2 == i && $3 == m' out; }
gen() { seq 1 "$2" | sed "s/^/Aug  3 09:41:12 srv-web-03 sshd[42]: $1 /"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# A /var/log as a server keeps it, rotated files in every compression.
mkdir -p srv/var/log
log=srv/var/log
gen current 100 > $log/syslog
gen rotated 200 > $log/syslog.1
gen gzip 300 > $log/syslog.2
# gzip records the file's mtime in its header: make it distinct.
touch -d '2023-04-30 06:25:01 UTC' $log/syslog.2
gzip $log/syslog.2
tools=gzip
gen xz 400 > $log/syslog.3 && if have xz; then xz $log/syslog.3; tools="$tools xz"; else rm $log/syslog.3; fi
gen bzip2 500 > $log/syslog.4 && if have bzip2; then bzip2 $log/syslog.4; tools="$tools bzip2"; else rm $log/syslog.4; fi
gen zstd 600 > $log/syslog.5 && if have zstd; then zstd -q --rm $log/syslog.5; tools="$tools zstd"; else rm $log/syslog.5; fi
gen lz4 700 > $log/syslog.6 && if have lz4; then lz4 -q --rm $log/syslog.6 $log/syslog.6.lz4; tools="$tools lz4"; else rm $log/syslog.6; fi
touch -d '2023-05-06 07:08:09 UTC' $log/*
(cd srv && tar -czf ../srv-web-03.tar.gz var)

"$WALK" srv-web-03.tar.gz > out 2> err
ok $? "a tarball of /var/log reads without error"
is "$(grep -c '^stream' out)" "$(ls $log | wc -l | tr -d ' ')" "one stream per file in the tarball"
is "$(val sha256 "$(grep '^input' out)")" "$(sha srv-web-03.tar.gz)" "SHA-256 matches sha256sum"
is "$(val bytes "$(grep '^input' out)")" "$(stat -c %s srv-web-03.tar.gz)" "bytes on disk"
r=$(row srv-web-03.tar.gz var/log/syslog)
is "$(val lines "$r")/$(val name "$r")/$(val depth "$r")" "100/syslog/1" "plain member: lines, name, depth"
is "$(val dir "$r")" "srv-web-03.tar.gz!var/log" "directory hint joins the archive and the member's directory"
is "$(val mtime "$r")/$(val src "$r")" "2023-05-06T07:08:09Z/archive" "mtime from the tar header"
r=$(row srv-web-03.tar.gz var/log/syslog.2.gz)
is "$(val lines "$r")/$(val name "$r")/$(val depth "$r")" "300/syslog.2/2" "gzip member: lines, rotation number kept, depth 2"
is "$(val mtime "$r")/$(val src "$r")" "2023-04-30T06:25:01Z/gzip" "gzip member: mtime from the gzip header"
n=4
for t in xz bzip2 zstd lz4; do
	case $t in xz) m=syslog.3.xz ;; bzip2) m=syslog.4.bz2 ;; zstd) m=syslog.5.zst ;; lz4) m=syslog.6.lz4 ;; esac
	if case " $tools " in *" $t "*) true ;; *) false ;; esac; then
		r=$(row srv-web-03.tar.gz var/log/$m)
		is "$(val lines "$r")/$(val name "$r")/$(val error "$r")" "$((n * 100))/${m%.*}/-" "$t member decompressed"
	else
		skip "$t not installed"
	fi
	n=$((n + 1))
done

# A member whose header says mtime 0 (tar --mtime=@0, Python's tarfile)
# has none: it takes the tarball's.
mkdir -p m0 && gen m0 1 > m0/syslog
tar --mtime=@0 -C m0 -cf m0.tar syslog
touch -d '2023-06-07 08:09:10 UTC' m0.tar
"$WALK" m0.tar > out
r=$(row m0.tar syslog)
is "$(val mtime "$r")/$(val src "$r")" "2023-06-07T08:09:10Z/file" "member mtime 0: the tarball's mtime"

# The same files as a plain compressed file on its own.
gen single 250 | gzip > single.log.gz
"$WALK" single.log.gz > out
r=$(row single.log.gz "")
is "$(val lines "$r")/$(val name "$r")/$(val member "$r")" "250/single.log/" "single gzip file: one stream, no member"
is "$(val depth "$r")/$(val src "$r")" "1/file" "no MTIME in a piped gzip: the file's mtime"
is "$(val sha256 "$(grep '^input' out)")" "$(sha single.log.gz)" "SHA-256 of a single gzip file"

# A zip of tarballs, and a tar of that zip: nested three and four deep.
if have zip; then
	zip -q logs.zip srv-web-03.tar.gz
else
	python3 -c 'import sys, zipfile; zipfile.ZipFile("logs.zip", "w", zipfile.ZIP_DEFLATED).write("srv-web-03.tar.gz")'
fi
if [ -f logs.zip ]; then
	"$WALK" logs.zip > out 2> err
	ok $? "a zip of a tarball reads without error"
	r=$(row logs.zip srv-web-03.tar.gz!var/log/syslog.2.gz)
	is "$(val lines "$r")/$(val depth "$r")" "300/3" "member chain through zip and tarball"
	is "$(val dir "$r")" "logs.zip!srv-web-03.tar.gz!var/log" "directory hint through the chain"
	tar -cf case.tar logs.zip
	"$WALK" case.tar > out 2> err
	r=$(row case.tar logs.zip!srv-web-03.tar.gz!var/log/syslog.1)
	is "$(val lines "$r")/$(val depth "$r")" "200/3" "tar of a zip of a tarball"
	is "$(grep -c '^stream' out)" "$(ls $log | wc -l | tr -d ' ')" "every member found four levels down"
else
	for i in 1 2 3 4 5; do skip "neither zip nor python3 zipfile"; done
fi

# 7-Zip needs seeking: on disk directly, and held in memory inside a tar.
if have 7z; then
	(cd srv && 7z a -bd -y ../logs.7z var/log/syslog var/log/syslog.2.gz > /dev/null)
	"$WALK" logs.7z > out 2> err
	ok $? "a 7z file reads without error"
	is "$(val lines "$(row logs.7z var/log/syslog.2.gz)")" 300 "7z member decompressed"
	tar -cf seven.tar logs.7z
	"$WALK" seven.tar > out 2> err
	is "$(val lines "$(row seven.tar logs.7z!var/log/syslog)")" 100 "7z inside a tar"
else
	for i in 1 2 3; do skip "7z not installed"; done
fi

if have cpio; then
	(cd srv && find var -type f | LC_ALL=C sort | cpio -o -H newc --quiet) > logs.cpio
	"$WALK" logs.cpio > out 2> err
	ok $? "a cpio archive reads without error"
	is "$(val lines "$(row logs.cpio var/log/syslog.1)")" 200 "cpio member"
else
	for i in 1 2; do skip "cpio not installed"; done
fi

# Plain files keep their directory as the hint; not-a-log files are
# streams too, with their counts.
mkdir -p evidence/ipmi
printf 'SEL Record ID : 0001\r\nTimestamp : 08/03/2024 09:41:12\r\n' > evidence/ipmi/sel.txt
head -c 20000 "$(command -v sh)" > evidence/blob.bin
"$WALK" evidence > out 2> err
ok $? "a directory of plain files"
r=$(row evidence/ipmi/sel.txt "")
is "$(val lines "$r")/$(val dir "$r")/$(val depth "$r")" "2/evidence/ipmi/0" "plain file: lines, directory hint, depth 0"
r=$(row evidence/blob.bin "")
ok "$([ "$(val nul "$r")" -gt 0 ] && [ "$(val error "$r")" = - ]; echo $?)" "a binary file is a stream with NUL lines counted"

done_testing
