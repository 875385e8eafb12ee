#!/usr/bin/env bash
# Scaling of the distributed job (scripts/cluster.sh, Dask) on this machine:
#
#   scripts/cluster-bench.sh [COPIES] [TEXT_SIZE]     # defaults: 67 copies (201 pages), 100M
#
# 1. OCR: the scan fixture (fixtures/pdf/scan, 3 pages) copied COPIES times, read with --ocr
#    on 1 and 2 workers: pages/s and the speed-up.
# 2. Text: an iki-synth corpus of TEXT_SIZE (seed 42, as scripts/bench.sh) through the job on
#    1 and 2 workers, against `iki extract --ndjson` at -j 1 and -j 2 on the same files: the
#    engine's overhead.
# Job seconds are the job's own (summary.json: listing, tasks, concatenation); wall and CPU
# seconds (/usr/bin/time) also hold building the wheel (a no-op when unchanged) and starting
# and stopping the cluster. CPU seconds per page stay meaningful on a loaded machine, where
# wall times do not.
# Writes the corpora, outputs and report.md under $BENCH_DIR (default target/cluster-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES="${1:-67}"
TEXT_SIZE="${2:-100M}"
BENCH_DIR="${BENCH_DIR:-target/cluster-bench}"
SCAN=fixtures/pdf/scan/lumajang-kec-ranuyoso-2023-scan.pdf

command -v pdfinfo >/dev/null || { echo "cluster-bench.sh: needs pdfinfo (apt-get install poppler-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "cluster-bench.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
cargo build --release -q -p iki -p iki-synth
mkdir -p "$BENCH_DIR/scans"
PAGES_EACH=$(pdfinfo "$SCAN" | awk '/^Pages:/ {print $2}')
for i in $(seq -w 1 "$COPIES"); do
    [ -f "$BENCH_DIR/scans/scan-$i.pdf" ] || cp "$SCAN" "$BENCH_DIR/scans/scan-$i.pdf"
done
PAGES=$((PAGES_EACH * COPIES))
TEXT="$BENCH_DIR/synth-$TEXT_SIZE"
[ -d "$TEXT" ] || target/release/iki-synth -o "$TEXT" -s "$TEXT_SIZE" --seed 42 >&2
scripts/py-env.sh >/dev/null  # build once, outside the measured runs

declare -A WALL JOB CPU
# timed NAME CMD...: run CMD under /usr/bin/time; keeps its wall and CPU seconds (user +
# system of it and every process it waited for: the cluster, the PDF workers, tesseract).
timed() {
    local name="$1" status=0 wall user sys
    shift
    /usr/bin/time -f "%e %U %S" -o "$BENCH_DIR/$name.time" "$@" || status=$?
    [ "$status" -le 1 ] || { echo "cluster-bench.sh: $name failed (exit $status)" >&2; exit 2; }
    read -r wall user sys <<<"$(tail -1 "$BENCH_DIR/$name.time")"
    WALL[$name]=$wall
    CPU[$name]=$(python3 -c "print(round($user + $sys, 1))")
}
job() { # NAME WORKERS INPUT [OPTION...]: the job on a fresh cluster; job seconds from summary.json
    local name="$1" workers="$2" input="$3"
    shift 3
    timed "$name" scripts/cluster.sh "$input" "$BENCH_DIR/$name.ndjson" "$workers" -q "$@"
    JOB[$name]=$(python3 -c "import json; print(round(json.load(open('$BENCH_DIR/$name.parts/summary.json'))['elapsed_seconds'], 1))")
    echo "  $name: job ${JOB[$name]} s, wall ${WALL[$name]} s, CPU ${CPU[$name]} s" >&2
}
cli() { # NAME JOBS INPUT: iki extract to NDJSON
    timed "$1" target/release/iki extract "$3" -j "$2" -q --ndjson "$BENCH_DIR/$1.ndjson"
    JOB[$1]=${WALL[$1]}
    echo "  $1: ${JOB[$1]} s, CPU ${CPU[$1]} s" >&2
}
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(round(a / b, 2))" "$1" "$2"; }

echo "cluster-bench.sh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
find "$TEXT" -type f -exec cat {} + >/dev/null  # warm the page cache
job ocr-2 2 "$BENCH_DIR/scans" --ocr
job ocr-1 1 "$BENCH_DIR/scans" --ocr
cli text-cli-2 2 "$TEXT"
job text-job-2 2 "$TEXT"
cli text-cli-1 1 "$TEXT"
job text-job-1 1 "$TEXT"
FILES=$(python3 -c "import json; print(json.load(open('$BENCH_DIR/ocr-1.parts/summary.json'))['documents'])")
DOCS=$(wc -l <"$BENCH_DIR/text-cli-2.ndjson")
cmp -s "$BENCH_DIR/text-cli-2.ndjson" "$BENCH_DIR/text-job-2.ndjson" && SAME=yes || SAME=NO

pps() { python3 -c "print(round($PAGES / ${JOB[$1]}, 2))"; }
dps() { python3 -c "print(round($DOCS / ${JOB[$1]}))"; }
{
    echo "### Distributed job (Dask, scripts/cluster.sh) on this machine"
    echo
    echo "$(nproc) cores, load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| run | job s | wall s | CPU s | throughput |"
    echo "|---|---:|---:|---:|---:|"
    echo "| OCR, $FILES scans = $PAGES pages, 1 worker | ${JOB[ocr-1]} | ${WALL[ocr-1]} | ${CPU[ocr-1]} | $(pps ocr-1) pages/s |"
    echo "| OCR, $FILES scans = $PAGES pages, 2 workers | ${JOB[ocr-2]} | ${WALL[ocr-2]} | ${CPU[ocr-2]} | $(pps ocr-2) pages/s |"
    echo "| text, $TEXT_SIZE iki-synth ($DOCS files), \`iki extract -j 1\` | ${JOB[text-cli-1]} | | ${CPU[text-cli-1]} | $(dps text-cli-1) files/s |"
    echo "| text, same, job on 1 worker | ${JOB[text-job-1]} | ${WALL[text-job-1]} | ${CPU[text-job-1]} | $(dps text-job-1) files/s |"
    echo "| text, same, \`iki extract -j 2\` | ${JOB[text-cli-2]} | | ${CPU[text-cli-2]} | $(dps text-cli-2) files/s |"
    echo "| text, same, job on 2 workers | ${JOB[text-job-2]} | ${WALL[text-job-2]} | ${CPU[text-job-2]} | $(dps text-job-2) files/s |"
    echo
    echo "- OCR speed-up, 2 workers over 1: **$(ratio "${JOB[ocr-1]}" "${JOB[ocr-2]}")x**; CPU per page $(python3 -c "print(round(${CPU[ocr-1]} / $PAGES, 2))") s (1 worker), $(python3 -c "print(round(${CPU[ocr-2]} / $PAGES, 2))") s (2 workers), cluster and build included"
    echo "- engine overhead on text (job / CLI): **$(ratio "${JOB[text-job-1]}" "${JOB[text-cli-1]}")x** on 1 worker vs -j 1, **$(ratio "${JOB[text-job-2]}" "${JOB[text-cli-2]}")x** on 2 workers vs -j 2"
    echo "- job NDJSON byte-identical to the CLI's: $SAME"
} | tee "$BENCH_DIR/report.md"
