#!/usr/bin/env bash
# `iki extract` on a real local Dask distributed cluster, start to finish:
#
#   scripts/cluster.sh INPUT OUT_NDJSON [WORKERS] [JOB OPTION...]
#
# 1. scripts/py-env.sh: the virtualenv under target/ (pinned Dask, pyarrow, maturin) with the
#    `iki` wheel built from crates/iki-py and installed;
# 2. a scheduler (`dask scheduler`) and WORKERS workers (`dask worker`, default 2, each a
#    nanny and one single-threaded worker process), all on 127.0.0.1 TCP, random ports;
# 3. the job (`python -m iki.cluster`) on INPUT (file, directory, archive, URL or @LIST):
#    every document to OUT_NDJSON in input order, and the parts, the Parquet tables
#    (documents/, indicators/) and summary.json to OUT_NDJSON without .ndjson plus .parts/;
# 4. the cluster stopped, whether the job succeeded or not.
#
# JOB OPTIONs go to the job (e.g. --ocr, --pdf-timeout S, --files-per-task N). Exit status:
# the job's (0 every input extracted, 1 some failed, 2 the job could not run), or 2 when the
# cluster could not start. IKI_CLUSTER_DIR keeps the scheduler file, the logs and the pids of
# the scheduler and the workers in that directory (default: a fresh target/cluster.XXXXXX,
# removed after a run that did not fail).
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: scripts/cluster.sh INPUT OUT_NDJSON [WORKERS] [JOB OPTION...]" >&2
    exit 2
fi
input="$1"
out="$2"
shift 2
workers=2
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
    workers="$1"
    shift
fi
[ "$workers" -ge 1 ] || { echo "cluster.sh: WORKERS must be at least 1" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$("$root/scripts/py-env.sh")"
mkdir -p "$root/target"
state="${IKI_CLUSTER_DIR:-$(mktemp -d "$root/target/cluster.XXXXXX")}"
mkdir -p "$state"
scheduler_file="$state/scheduler.json"
rm -f "$scheduler_file" "$state/pids"

pids=()
# Stop the workers, then the scheduler: SIGTERM (a nanny closes its worker), SIGKILL after 20 s.
stop_cluster() {
    local i pid
    trap '' INT TERM  # a signal now must not cut the stop short
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid="${pids[$i]}"
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 200); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

fail() {
    echo "cluster.sh: $1 (logs in $state)" >&2
    tail -n 20 "$state"/*.log >&2 || true
    exit 2
}

"$venv/bin/dask" scheduler --host 127.0.0.1 --port 0 --no-dashboard \
    --scheduler-file "$scheduler_file" >"$state/scheduler.log" 2>&1 &
pids+=($!)
echo $! >>"$state/pids"
for _ in $(seq 600); do
    [ -s "$scheduler_file" ] && break
    kill -0 "${pids[0]}" 2>/dev/null || fail "the scheduler exited"
    sleep 0.1
done
[ -s "$scheduler_file" ] || fail "the scheduler did not start within 60 s"

for i in $(seq "$workers"); do
    "$venv/bin/dask" worker --scheduler-file "$scheduler_file" --host 127.0.0.1 \
        --nworkers 1 --nthreads 1 --name "worker-$i" --no-dashboard \
        --local-directory "$state/worker-$i" >"$state/worker-$i.log" 2>&1 &
    pids+=($!)
    echo $! >>"$state/pids"
done
"$venv/bin/python" - "$scheduler_file" "$workers" <<'EOF' || fail "the workers did not connect"
import sys
from distributed import Client
with Client(scheduler_file=sys.argv[1], timeout=60) as client:
    client.wait_for_workers(int(sys.argv[2]), timeout=120)
EOF

set +e
"$venv/bin/python" -m iki.cluster --scheduler-file "$scheduler_file" \
    --out "${out%.ndjson}.parts" --ndjson "$out" "$@" "$input"
status=$?
set -e
if [ "$status" -le 1 ] && [ -z "${IKI_CLUSTER_DIR:-}" ]; then
    stop_cluster
    pids=()
    rm -rf "$state"
fi
exit "$status"
