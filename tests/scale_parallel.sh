#!/bin/sh
# GNU parallel spreading `faultline scan` over two SSH "hosts" (sshd on
# 127.0.0.1 and 127.0.0.2, started and stopped here), then one analysis over the
# parts: identical to a single run over all the evidence.
. "$srcdir/tests/lib.sh"
mktmp

sshd=$(command -v sshd || echo /usr/sbin/sshd)
if [ "$(id -u)" != 0 ] || [ ! -x "$sshd" ] || ! command -v parallel >/dev/null ||
    ! command -v ssh >/dev/null; then
	skip "needs root, sshd, ssh and GNU parallel (apt-get install openssh-server parallel)"
	done_testing
	exit 0
fi

mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/userkey"
cp "$tmp/userkey.pub" "$tmp/authorized_keys"
base=$((20000 + $$ % 20000))
pids=""
stop_sshd() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap stop_sshd EXIT
logins=""
for i in 1 2; do
	port=$((base + i))
	cat > "$tmp/sshd$i.conf" <<CONF
Port $port
ListenAddress 127.0.0.$i
HostKey $tmp/hostkey
PidFile $tmp/sshd$i.pid
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
CONF
	"$sshd" -D -f "$tmp/sshd$i.conf" -E "$tmp/sshd$i.log" &
	pids="$pids $!"
	logins="${logins}1/ssh -p $port -i $tmp/userkey -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.$i
"
done
printf '%s' "$logins" > "$tmp/sshlogins"
# Wait (bounded) until both daemons accept logins.
tries=0
until ssh -p $((base + 1)) -i "$tmp/userkey" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1 true 2>/dev/null &&
    ssh -p $((base + 2)) -i "$tmp/userkey" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.2 true 2>/dev/null; do
	tries=$((tries + 1))
	if [ "$tries" -gt 50 ]; then
		ok 1 "the two sshd on loopback accept logins"
		done_testing
		exit 1
	fi
	sleep 0.2
done
ok 0 "the two sshd on loopback accept logins"

set_=hospital-power-outage
ev="$srcdir/samples/$set_/evidence"
args=$(jq -r '.args | join(" ")' "$srcdir/samples/$set_/expected.json")
n=4
# One job per share; the remote side runs the same binary on a shared file
# system (absolute paths), as on a cluster with shared storage.
seq 1 "$n" | timeout 300 parallel --no-notice --sshloginfile "$tmp/sshlogins" \
    --joblog "$tmp/joblog" \
    "$FAULTLINE" scan -q $args --shard {}/$n -o "$tmp/part-{}.flp" "$ev"
ok $? "parallel ran the scans over SSH"
hosts=$(awk -F '\t' 'NR > 1 {print $2}' "$tmp/joblog" | sort -u | wc -l)
is "$hosts" 2 "the jobs ran on both SSH hosts"
# shellcheck disable=SC2086
"$FAULTLINE" timeline -q $args --format jsonl "$tmp"/part-*.flp > "$tmp/merged.jsonl"
"$FAULTLINE" timeline -q $args --format jsonl "$ev" > "$tmp/whole.jsonl"
check "timeline over the parts is identical to one run" cmp -s "$tmp/whole.jsonl" "$tmp/merged.jsonl"
if "$FAULTLINE" analyze --help >/dev/null 2>&1; then
	"$FAULTLINE" analyze -q $args --format json "$tmp"/part-*.flp > "$tmp/merged.json"
	"$FAULTLINE" analyze -q $args --format json "$ev" > "$tmp/whole.json"
	check "analyze over the parts is identical to one run" cmp -s "$tmp/whole.json" "$tmp/merged.json"
else
	skip "'faultline analyze' is not in this build"
fi
done_testing
