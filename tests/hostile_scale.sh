#!/bin/sh
# Hostile scale: evidence shaped to make the work grow faster than the input
# (a stream naming a new host on every line, a flood of identical lines in
# one second, a tarball of 200,000 tiny members, standing in for a million
# to keep the test fast) must be read in time linear in its size, within
# 60 s and 1.5 GB, with every line accounted for.
. "$srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp
cd "$tmp" || exit 99

# ASan reserves terabytes of address space: no ulimit -v under it.
asan=no
ldd "$FAULTLINE" 2>/dev/null | grep -q libasan && asan=yes
limited() {
	if [ $asan = yes ]; then timeout 60 "$@"; else
		(ulimit -v 1572864 && exec timeout 60 "$@"); fi
}
# accounting FILE.json: "lines parsed unparsed" summed over the members
accounting() {
	jq -r '[.inputs[].members[]] | "\(map(.lines) | add) \(map(.parsed) | add) \(map(.unparsed) | add)"' "$1"
}

# One stream, 200,000 lines, each naming another host.
awk 'BEGIN { for (i = 0; i < 200000; i++)
    printf "Aug  3 09:41:12 host%d sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2\n", i }' > hosts.log
limited "$FAULTLINE" sources -q --format json hosts.log > hosts.json 2> err
is $? 0 "200,000 hosts in one stream: read in time"
is "$(accounting hosts.json)" "200000 200000 0" "200,000 hosts: every line parsed"

# 200,000 rule hits in the same second on the same host: the duplicate
# merge must not compare every pair.
awk 'BEGIN { for (i = 0; i < 200000; i++)
    print "Aug  3 09:41:12 srv sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2" }' > flood.log
cp flood.log flood2.log
# --all keeps every hit (no folding of background noise).
limited "$FAULTLINE" timeline -q --all -j 2 flood.log flood2.log > flood.out 2> err
is $? 0 "400,000 identical hits in one second: timeline in time"
is "$(wc -l < flood.out | tr -d ' ')" 200000 "each line's twin in the other file is merged into it"

# A tarball of 200,000 tiny members (the headers written directly: tar(1)
# would need 200,000 files on disk).
if command -v python3 >/dev/null 2>&1; then
	python3 - <<'PY'
import gzip
data = b'Aug  3 09:41:12 srv sshd[1]: x\n'
def hdr(name):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b'0000644\0'; h[108:116] = b'0000000\0'; h[116:124] = b'0000000\0'
    h[124:136] = b'%011o\0' % len(data); h[136:148] = b'%011o\0' % 1722676872
    h[148:156] = b' ' * 8; h[156:157] = b'0'; h[257:263] = b'ustar\0'; h[263:265] = b'00'
    h[148:156] = b'%06o\0 ' % sum(h)
    return bytes(h)
with gzip.open('tiny.tar.gz', 'wb', compresslevel=1) as g:
    for i in range(200000):
        g.write(hdr(b'm/%06d.log' % i) + data + b'\0' * (512 - len(data)))
    g.write(b'\0' * 1024)
PY
	limited "$FAULTLINE" sources -q --format json tiny.tar.gz > tiny.json 2> err
	is $? 0 "200,000 tiny members: read in time"
	is "$(jq '[.inputs[].members[]] | length' tiny.json)" 200000 "every member is a stream"
	is "$(accounting tiny.json)" "200000 200000 0" "every member's line counted and parsed"
else
	for i in 1 2 3; do skip "python3 not installed"; done
fi

done_testing
