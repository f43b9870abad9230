#!/bin/sh
# Collecting paths: directories walked in byte order, symbolic links
# followed without looping, special files skipped without hanging, missing
# and unreadable paths named with the reason, inputs left untouched.
. "$srcdir/tests/lib.sh"
WALK=$top_builddir/tests/input-walk
mktmp
cd "$tmp" || exit 99

have() { command -v "$1" >/dev/null 2>&1; }
walk() { timeout 60 "$WALK" "$@"; }
kinds() { awk -F'\t' '$1 != "stream" { print $1 " " $2 }' out; }

mkdir -p ev/a ev/sub
echo one > ev/b.log
echo two > ev/a/x.log
echo three > ev/a-c.log
echo four > ev/B.log
printf 'five\n' | gzip > ev/sub/y.log.gz
ln -s .. ev/sub/up
ln -s self ev/self
ln -s nowhere ev/dangling
ln -s b.log ev/link.log
mkfifo ev/fifo
before=$(find ev -type f -exec sha256sum {} + | sort)

walk ev > out 2> err
is $? 1 "exit 1: some paths were skipped or unreadable"
is "$(kinds)" "input ev/B.log
input ev/a/x.log
input ev/a-c.log
input ev/b.log
unreadable ev/dangling
skipped ev/fifo
skipped ev/link.log
skipped ev/self
skipped ev/sub/up
input ev/sub/y.log.gz" "walked depth first, each directory in byte order"
note() { awk -F'\t' -v p="$1" '$2 == p && $1 != "stream" && $1 != "input" { print $3 }' out; }
is "$(note ev/fifo)" "not a regular file (FIFO)" "a FIFO is skipped with a note, not opened"
is "$(note ev/sub/up)" "symbolic link loop back to ev" "a link to an ancestor is a loop"
is "$(note ev/self)" "symbolic link loop" "a link to itself is a loop"
is "$(note ev/dangling)" "dangling symbolic link" "a dangling link is named"
is "$(note ev/link.log)" "same file as ev/b.log" "a second path to the same file is read once"

# Given directly, a FIFO with no writer must not block.
walk ev/fifo > out 2> err
rc=$?
ok "$([ $rc -ne 124 ]; echo $?)" "a FIFO argument does not hang"
is "$(kinds)" "skipped ev/fifo" "a FIFO argument is skipped"

walk missing.log ev/b.log > out 2> err
is "$(kinds)" "unreadable missing.log
input ev/b.log" "a missing path is listed and the rest still read"
is "$(note missing.log)" "cannot open: No such file or directory" "with the reason"

if [ "$(id -u)" -ne 0 ]; then
	echo secret > locked.log
	chmod 000 locked.log
	walk locked.log > out 2> err
	is "$(note locked.log)" "cannot open: Permission denied" "an unreadable file is named"
	chmod 600 locked.log
else
	skip "running as root: permissions do not stop reading"
fi

# Reading evidence leaves its access time as it was (O_NOATIME): probed
# first, since a file system mounted noatime never changes it anyway.
mkdir at && echo 'Jan  1 00:00:00 h app: x' > at/x.log
old=$(date -d '2020-01-01 UTC' +%s)
atimes() { stat -c %X at/x.log at | tr '\n' ' '; }
stale() { touch -m -d '2021-01-01 UTC' at/x.log at && touch -a -d '2020-01-01 UTC' at/x.log at; }
stale && cat at/x.log > /dev/null && ls at > /dev/null
if [ "$(atimes)" != "$old $old " ]; then
	stale
	walk at > out
	is "$(atimes)" "$old $old " "reading a file and its directory leaves their access times"
else
	skip "this file system does not record reads"
fi

after=$(find ev -type f -exec sha256sum {} + | sort)
is "$after" "$before" "no input was modified"

# Nothing under the evidence is ever opened for writing.
if have strace && strace -f -qq -e trace=open,openat -o trace true 2>/dev/null; then
	strace -f -qq -e trace=open,openat -o trace "$WALK" ev > /dev/null 2>&1
	check "the evidence was opened" grep -q '"ev/b.log", O_RDONLY' trace
	is "$(grep '"ev/' trace | grep -cE 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC')" 0 "never for writing"
else
	skip "strace cannot trace here"
	skip "strace cannot trace here"
fi

done_testing
