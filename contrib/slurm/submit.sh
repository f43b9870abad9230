#!/bin/sh
# Submits the scan array (N tasks) and the dependent merge; prints the
# merge job's id. Run from a directory every node can read and write.
#
#   contrib/slurm/submit.sh N OUTDIR REPORT EVIDENCE...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=$1 out=$2 report=$3
shift 3
mkdir -p "$out"
array=$(sbatch --parsable --array=1-"$n" -o "$out/scan-%a.log" \
    "$here/scan-array.sbatch" "$out" "$@")
sbatch --parsable --dependency=afterok:"${array%%;*}" -o "$out/analyze.log" \
    "$here/analyze.sbatch" "$out" "$report"
