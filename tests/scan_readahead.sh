#!/bin/sh
# Reading ahead: with more threads than files, spare threads decode and
# split lines for the workers. Whatever the thread count, every output,
# diagnostic and exit status must be the same.
. "$srcdir/tests/lib.sh"
mktmp

# A log in several shapes: plain, gzip (ISA-L when built with it), a tar.gz
# of rotations, a truncated gzip, a long line, and a line without newline.
mkdir -p "$tmp/ev/var/log"
i=0
while [ $i -lt 3000 ]; do
	printf 'Mar  %d 10:%02d:%02d web-01 sshd[%d]: Failed password for invalid user u%d from 192.0.2.%d port %d ssh2\n' \
	    $((1 + i / 1000)) $((i / 60 % 60)) $((i % 60)) $((100 + i)) $i $((i % 250)) $((1024 + i))
	printf 'Mar  %d 10:%02d:%02d web-01 CRON[%d]: (root) CMD (run-parts /etc/cron.hourly)\n' \
	    $((1 + i / 1000)) $((i / 60 % 60)) $((i % 60)) $((200 + i))
	i=$((i + 1))
done > "$tmp/ev/var/log/syslog"
awk 'BEGIN { printf "Mar  3 11:00:00 web-01 app[1]: "; for (i = 0; i < 70000; i++) printf "x"; printf "\n" }' >> "$tmp/ev/var/log/syslog"
printf 'Mar  3 11:00:01 web-01 apcupsd[7]: Power failure.' >> "$tmp/ev/var/log/syslog"
gzip -c "$tmp/ev/var/log/syslog" > "$tmp/ev/var/log/syslog.2.gz"
(cd "$tmp/ev" && tar czf srv.tar.gz var)
gzip -c "$tmp/ev/var/log/syslog" | head -c 20000 > "$tmp/ev/cut.gz"

for what in "$tmp/ev/var/log/syslog" "$tmp/ev/var/log/syslog.2.gz" \
    "$tmp/ev/srv.tar.gz" "$tmp/ev/cut.gz" "$tmp/ev"; do
	name=${what#"$tmp/"}
	for cmd in "timeline --all --format jsonl" "timeline" "sources --format json"; do
		"$FAULTLINE" $cmd -j 1 "$what" > "$tmp/one" 2> "$tmp/one.err"
		s1=$?
		"$FAULTLINE" $cmd -j 8 "$what" > "$tmp/many" 2> "$tmp/many.err"
		s8=$?
		check "$name: $cmd: same output with 1 and 8 threads" cmp "$tmp/one" "$tmp/many"
		check "$name: $cmd: same diagnostics" cmp "$tmp/one.err" "$tmp/many.err"
		is "$s8" "$s1" "$name: $cmd: same exit status"
	done
done
check "the long line and the last line are there" sh -c \
    "'$FAULTLINE' timeline --all --format jsonl -j 4 '$tmp/ev/srv.tar.gz' | grep -q 'Power failure'"
done_testing
