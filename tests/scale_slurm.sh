#!/bin/sh
# Slurm: a local slurmctld + slurmd (auth/none, started and stopped here)
# runs contrib/slurm/submit.sh: a job array of scans, one shard per task,
# then a dependent merge job. The merged report equals a single run.
. "$srcdir/tests/lib.sh"
mktmp

if [ "$(id -u)" != 0 ] || ! command -v slurmctld >/dev/null ||
    ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null; then
	skip "needs root and Slurm (apt-get install slurm-wlm)"
	done_testing
	exit 0
fi
if ! "$FAULTLINE" analyze --help >/dev/null 2>&1; then
	skip "'faultline analyze' is not in this build"
	done_testing
	exit 0
fi

node=$(hostname -s)
port=$((26000 + $$ % 4000))
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/out"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=faultline-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=faultline Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
SLURM_CONF=$tmp/slurm.conf
export SLURM_CONF
slurmctld -D > "$tmp/slurmctld.out" 2>&1 &
ctld=$!
slurmd -D > "$tmp/slurmd.out" 2>&1 &
sd=$!
trap 'kill $ctld $sd 2>/dev/null; wait $ctld $sd 2>/dev/null; rm -rf "$tmp"' EXIT

tries=0
until sinfo -h -o %t 2>/dev/null | grep -q idle; do
	tries=$((tries + 1))
	if [ "$tries" -gt 60 ]; then
		ok 1 "the local Slurm cluster comes up"
		sed 's/^/# /' "$tmp/slurmctld.log" "$tmp/slurmd.log" | tail -n 20
		done_testing
		exit 1
	fi
	sleep 0.5
done
ok 0 "the local Slurm cluster comes up"

set_=pdu-outlet-sabotage
ev="$srcdir/samples/$set_/evidence"
FAULTLINE_ARGS=$(jq -r '.args | join(" ")' "$srcdir/samples/$set_/expected.json")
export FAULTLINE FAULTLINE_ARGS
merge=$(sh "$srcdir/contrib/slurm/submit.sh" 3 "$tmp/out" "$tmp/report.json" "$ev")
ok $? "submit.sh queued the array and the merge (job $merge)"
tries=0
while squeue -h 2>/dev/null | grep -q .; do
	tries=$((tries + 1))
	if [ "$tries" -gt 240 ]; then
		break
	fi
	sleep 0.5
done
is "$(ls "$tmp/out"/part-*.flp 2>/dev/null | wc -l | tr -d ' ')" 3 "each array task wrote its part"
check "the dependent merge job wrote the report" test -s "$tmp/report.json"
# shellcheck disable=SC2086
"$FAULTLINE" analyze -q $FAULTLINE_ARGS --format json "$ev" > "$tmp/whole.json"
check "the report equals a single run over all the evidence" cmp -s "$tmp/whole.json" "$tmp/report.json"
done_testing
