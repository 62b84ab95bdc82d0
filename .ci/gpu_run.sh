#!/usr/bin/env bash
# .ci/gpu_run.sh MINUTES OUTDIR -- the fast step's benchmark, then one call of the GPU table, in at most MINUTES minutes.
#
# For a machine with an accelerator (it runs on a CPU too: MINUTES=0.3 is a smoke test of the script itself):
#   1. if .whl/ holds wheels (made beforehand by .ci/gpu_wheels.sh where there is internet), installs them into
#      /tmp/gpu_site (no index, no dependencies: the machine has torch, numpy, ... already);
#   2. PYTHONPATH=/tmp/gpu_site:<this checkout>, so the checkout's intervention_dl is used without installing it;
#   3. python -m intervention_dl.bench gpu --json OUTDIR/bench_gpu.json          (at most 40% of the budget);
#   4. python -m intervention_dl.gpu_table --minutes M --out /tmp/gpu_table --bundle OUTDIR
#      with M = what is left less a margin; without an NVIDIA GPU (nvidia-smi) `--tiny` is added (the test sizes: no data set needed).
#      Extra arguments for the table: GPU_TABLE_ARGS="--methods intervention --seeds 2" .ci/gpu_run.sh 9 out
# Every step runs under `timeout`, so the script ends within MINUTES (plus a few seconds to kill a step that overruns).
# OUTDIR gets bench_gpu.json, bench_gpu.log, gpu_table.log, gpu_run.json (what ran, exit codes, seconds) and the table's bundle.
# Example: .ci/gpu_run.sh 9 "$OUT"     (then python -m intervention_dl.gpu_table --unpack "$OUT" --out results/gpu_table here)
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: .ci/gpu_run.sh MINUTES OUTDIR" >&2; exit 2; }
MINUTES=$1; OUTDIR=$(mkdir -p "$2" && cd "$2" && pwd)
awk -v m="$MINUTES" 'BEGIN { exit !(m ~ /^[0-9]*\.?[0-9]+$/ && m > 0) }' || { echo "MINUTES must be a number > 0, got '$MINUTES'" >&2; exit 2; }
cd "$(dirname "$0")/.."
ROOT=$PWD
T0=$(date +%s.%N)
BUDGET=$(awk -v m="$MINUTES" 'BEGIN { print m * 60 }')
calc() { awk -v now="$(date +%s.%N)" -v t0="$T0" -v b="$BUDGET" "BEGIN { e = now - t0; l = b - e; if (l < 0) l = 0; $1 }"; }   # e: elapsed, l: left (s)
log() { echo "[gpu_run +$(calc 'printf "%.1f", e') s] $*"; }

SITE=/tmp/gpu_site
if ls .whl/*.whl >/dev/null 2>&1; then
  log "installing $(ls .whl/*.whl | wc -l) wheels from .whl/ into $SITE"
  timeout "$(calc 'printf "%.1f", (0.1 * b < 60 ? 0.1 * b : 60)')" python3 -m pip install -q --no-index --no-deps --target "$SITE" .whl/*.whl \
    || log "wheel install failed or timed out (rc $?): going on with what is installed"
fi
export PYTHONPATH="$SITE:$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONWARNINGS=ignore::FutureWarning
CUDA=0; nvidia-smi -L >/dev/null 2>&1 && CUDA=1                       # (importing torch only to ask would cost seconds)

S_BENCH=$(calc 'printf "%d", (0.4 * l > 1 ? 0.4 * l : 1)')
log "bench gpu (at most ${S_BENCH} s)"
timeout -k 5 "$S_BENCH" python3 -m intervention_dl.bench gpu --json "$OUTDIR/bench_gpu.json" > "$OUTDIR/bench_gpu.log" 2>&1
RC_BENCH=$?; tail -n 20 "$OUTDIR/bench_gpu.log"; log "bench gpu: exit code $RC_BENCH$([ $RC_BENCH -eq 124 ] && echo ' (out of time)')"

MARGIN=$(calc 'm = 0.05 * b; if (m < 3) m = 3; if (m > 30) m = 30; print m')   # the table's own shutdown, inside its timeout
S_KILL=$(calc 'printf "%d", l - 1')                                   # the table is killed 1 s before the budget ends
S_TABLE=$(awk -v k="$S_KILL" -v m="$MARGIN" 'BEGIN { x = k - m; print (x > 0 ? x : 0) }')
EXTRA=${GPU_TABLE_ARGS:-}; [ "$CUDA" = 1 ] || EXTRA="--tiny $EXTRA"
RC_TABLE=skipped
if awk -v s="$S_TABLE" 'BEGIN { exit !(s >= 3) }'; then
  M_TABLE=$(awk -v s="$S_TABLE" 'BEGIN { printf "%.4f", s / 60 }')
  log "gpu_table --minutes $M_TABLE --out /tmp/gpu_table --bundle $OUTDIR $EXTRA (killed after $S_KILL s)"
  # shellcheck disable=SC2086
  timeout -k 1 "$S_KILL" python3 -m intervention_dl.gpu_table --minutes "$M_TABLE" \
    --out /tmp/gpu_table --bundle "$OUTDIR" $EXTRA > "$OUTDIR/gpu_table.log" 2>&1
  RC_TABLE=$?; tail -n 20 "$OUTDIR/gpu_table.log"
else log "no time left for the table"; fi
WALL=$(calc 'printf "%.1f", e')
printf '{"minutes": %s, "wall_s": %s, "bench_rc": %s, "table_rc": "%s", "nvidia_gpu": %s, "commit": "%s", "table_args": "%s"}\n' \
  "$MINUTES" "$WALL" "$RC_BENCH" "$RC_TABLE" "$([ "$CUDA" = 1 ] && echo true || echo false)" "$(git rev-parse HEAD 2>/dev/null)" "$EXTRA" > "$OUTDIR/gpu_run.json"
log "done in $WALL s of $BUDGET s (bench rc $RC_BENCH, table rc $RC_TABLE); files in $OUTDIR: $(ls "$OUTDIR" | tr '\n' ' ')"
