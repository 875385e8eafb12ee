#!/usr/bin/env bash
# End-to-end benchmark of `iki extract` on a synthetic archive, against `rg` scanning the
# same files for NIP numbers in the same run.
#
#   scripts/bench.sh [SIZE] [SMALL]      # defaults: 1G and 100M of text (K/M/G = 10^3/6/9)
#   scripts/bench.sh db [SMALL]          # only the database import figures (below)
#
# Writes the corpora (iki-synth, seed 42) and the results under $BENCH_DIR (default
# target/bench), prints a Markdown table and saves it as $BENCH_DIR/report.md.
# Measures: rg time, iki time at -j 1 / -j 2 / default on the directory (with -o, and -j 1 / -j 2
# streaming NDJSON to stdout), the time ratio
# iki / rg (target <= 25x), files/s and MB/s, the -j 2 speed-up over -j 1 (target >= 1.8x),
# and peak memory (/usr/bin/time -v) on the SIZE and SMALL .tar.gz (target <= 150 MB, and
# within 20% of each other). Installs nothing: it checks its tools and says what is missing.
#
# Database import (issue 12), on the SMALL corpus as a directory: `extract --ndjson /dev/null`
# against the same with `--db sqlite:FILE` (median of 3 interleaved runs each, wall and CPU
# time, with the load average at their start; target: at most 25% more wall time), and the
# PostgreSQL writer alone loading the run's NDJSON through binary COPY
# (crates/iki-db/examples/load.rs; median of 3 runs into a fresh database; target: at least
# 50,000 indicator rows/s); the SQLite writer alone likewise, for comparison. The server is $IKI_BENCH_POSTGRES_URL's (a database the script may
# drop and create is derived from it), else one started by scripts/pg-test-server.sh under
# $BENCH_DIR/pg (needs the Debian package postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=all
if [ "${1:-}" = db ]; then
    MODE=db
    shift
    set -- 1G "${1:-100M}"
fi
SIZE="${1:-1G}"
SMALL="${2:-100M}"
BENCH_DIR="${BENCH_DIR:-target/bench}"
SEED=42
NIP_REGEX='\b(19|20)[0-9]{6} ?[0-9]{6} ?[12] ?[0-9]{3}\b'

missing=()
command -v cargo >/dev/null || missing+=("cargo (a Rust toolchain)")
command -v rg >/dev/null || missing+=("rg (Debian: apt-get install ripgrep)")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (Debian: apt-get install time)")
command -v python3 >/dev/null || missing+=("python3 (to read summary figures)")
command -v psql >/dev/null || missing+=("psql (Debian: apt-get install postgresql)")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'bench.sh: missing tools, install them first:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
fi

cargo build --release -q -p iki -p iki-synth
cargo build --release -q -p iki-db --example load
# Binaries from cargo's target directory ($CARGO_TARGET_DIR when set).
BIN="${CARGO_TARGET_DIR:-target}/release"
IKI="$BIN/iki"
SYNTH="$BIN/iki-synth"
LOAD="$BIN/examples/load"
mkdir -p "$BENCH_DIR"
DIR="$BENCH_DIR/synth-$SIZE"
TGZ="$BENCH_DIR/synth-$SIZE.tar.gz"
SMALL_TGZ="$BENCH_DIR/synth-$SMALL.tar.gz"
if [ "$MODE" = all ]; then
[ -d "$DIR" ] || "$SYNTH" -o "$DIR" -s "$SIZE" --seed "$SEED"
[ -f "$TGZ" ] || "$SYNTH" -o "$TGZ" -s "$SIZE" --seed "$SEED"
[ -f "$SMALL_TGZ" ] || "$SYNTH" -o "$SMALL_TGZ" -s "$SMALL" --seed "$SEED"
fi
sync

# seconds NAME CMD...: run CMD under /usr/bin/time -v; keeps elapsed seconds and peak RSS.
# Also keeps CPU seconds (user + system) and the 1-minute load average at the start: on a
# shared machine the wall time follows the load, the CPU time much less.
declare -A SECONDS_OF PEAK_KB_OF CPU_OF LOAD_OF
measure() {
    local name="$1"
    shift
    local log="$BENCH_DIR/$name.time"
    LOAD_OF[$name]=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$BENCH_DIR/$name.stderr" || true
    CPU_OF[$name]=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
    SECONDS_OF[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
    PEAK_KB_OF[$name]=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    echo "  $name: ${SECONDS_OF[$name]} s, CPU ${CPU_OF[$name]} s, peak ${PEAK_KB_OF[$name]} KB, load ${LOAD_OF[$name]}" >&2
}

extract() { # NAME INPUT JOBS
    rm -rf "$BENCH_DIR/out-$1"
    measure "$1" "$IKI" extract "$2" -j "$3" -q -o "$BENCH_DIR/out-$1"
}
stream() { # NAME INPUT JOBS: NDJSON on stdout (discarded), no file per document
    measure "$1" "$IKI" extract "$2" -j "$3" -q
}

echo "bench.sh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ "$MODE" = all ]; then
# Warm the page cache once, unmeasured, so that rg and iki all read the files from memory
# (otherwise the first measured run pays the disk reads for everyone).
rg -c --no-filename -e "$NIP_REGEX" "$DIR" >/dev/null || true
rg -z -a -c -e "$NIP_REGEX" "$TGZ" "$SMALL_TGZ" >/dev/null || true
measure rg-dir rg -c --no-filename -e "$NIP_REGEX" "$DIR"
measure rg-tgz rg -z -a -c -e "$NIP_REGEX" "$TGZ"
extract dir-j1 "$DIR" 1
extract dir-j2 "$DIR" 2
stream ndjson-j1 "$DIR" 1
stream ndjson-j2 "$DIR" 2
extract dir-jall "$DIR" 0
extract tgz-jall "$TGZ" 0
extract small-tgz-jall "$SMALL_TGZ" 0

figure() { # NAME FIELD: a number from an extract run's _run/summary.json
    python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))[sys.argv[2]], 2))" \
        "$BENCH_DIR/out-$1/_run/summary.json" "$2"
}
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(round(a / b, 2) if b else 'n/a')" "$1" "$2"; }
mb() { python3 -c "import sys; print(round(int(sys.argv[1]) / 1024, 1))" "$1"; }

FILES=$(figure dir-jall files)
BYTES=$(figure dir-jall bytes)
REPORT="$BENCH_DIR/report.md"
{
    echo "### iki extract on $SIZE of synthetic text ($FILES files, $BYTES bytes; seed $SEED)"
    echo
    echo "Machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg | head -1)."
    echo
    echo "| run | wall s | files/s | MB/s | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|"
    echo "| rg NIP scan, directory | ${SECONDS_OF[rg-dir]} | | | $(mb "${PEAK_KB_OF[rg-dir]}") |"
    echo "| rg -z NIP scan, .tar.gz | ${SECONDS_OF[rg-tgz]} | | | $(mb "${PEAK_KB_OF[rg-tgz]}") |"
    for run in dir-j1 dir-j2 dir-jall tgz-jall small-tgz-jall; do
        echo "| iki extract $run | ${SECONDS_OF[$run]} | $(figure "$run" files_per_second) | $(figure "$run" mb_per_second) | $(mb "${PEAK_KB_OF[$run]}") |"
    done
    for run in ndjson-j1 ndjson-j2; do
        echo "| iki extract $run (NDJSON to stdout) | ${SECONDS_OF[$run]} | $(ratio "$FILES" "${SECONDS_OF[$run]}") | $(ratio "$BYTES" "$(python3 -c "print(${SECONDS_OF[$run]} * 1e6)")") | $(mb "${PEAK_KB_OF[$run]}") |"
    done
    echo
    echo "- time ratio iki (directory, all cores) / rg: **$(ratio "${SECONDS_OF[dir-jall]}" "${SECONDS_OF[rg-dir]}")x** (target <= 25x)"
    echo "- time ratio iki (.tar.gz, all cores) / rg -z: **$(ratio "${SECONDS_OF[tgz-jall]}" "${SECONDS_OF[rg-tgz]}")x**"
    echo "- speed-up of -j 2 over -j 1: **$(ratio "${SECONDS_OF[dir-j1]}" "${SECONDS_OF[dir-j2]}")x** with -o DIR, **$(ratio "${SECONDS_OF[ndjson-j1]}" "${SECONDS_OF[ndjson-j2]}")x** streaming NDJSON (target >= 1.8x)"
    echo "- time ratio iki (directory, NDJSON, -j 2) / rg: **$(ratio "${SECONDS_OF[ndjson-j2]}" "${SECONDS_OF[rg-dir]}")x**"
    echo "- peak memory $SIZE .tar.gz / $SMALL .tar.gz: **$(ratio "${PEAK_KB_OF[tgz-jall]}" "${PEAK_KB_OF[small-tgz-jall]}")** (target <= 1.2; <= 150 MB)"
} | tee "$REPORT"
fi

# ---- Database import -------------------------------------------------------------------------
median() { python3 -c "import statistics, sys; m = statistics.median(map(float, sys.argv[1:])); print(f'{m:,.0f}' if m >= 1000 else round(m, 2))" "$@"; }
DB_DIR="$BENCH_DIR/synth-$SMALL"
[ -d "$DB_DIR" ] || "$SYNTH" -o "$DB_DIR" -s "$SMALL" --seed "$SEED"
rg -c --no-filename -e "$NIP_REGEX" "$DB_DIR" >/dev/null || true
SQLITE_FILE="$BENCH_DIR/bench.sqlite"
plain=()
sqlite=()
plain_cpu=()
sqlite_cpu=()
loads=()
for i in 1 2 3; do
    measure "ndjson-devnull-$i" "$IKI" extract "$DB_DIR" -q --ndjson /dev/null
    plain+=("${SECONDS_OF[ndjson-devnull-$i]}")
    plain_cpu+=("${CPU_OF[ndjson-devnull-$i]}")
    rm -f "$SQLITE_FILE" "$SQLITE_FILE-wal" "$SQLITE_FILE-shm"
    measure "sqlite-$i" "$IKI" extract "$DB_DIR" -q --ndjson /dev/null --db "sqlite:$SQLITE_FILE"
    sqlite+=("${SECONDS_OF[sqlite-$i]}")
    sqlite_cpu+=("${CPU_OF[sqlite-$i]}")
    loads+=("${LOAD_OF[ndjson-devnull-$i]}" "${LOAD_OF[sqlite-$i]}")
done
PLAIN_S=$(median "${plain[@]}")
SQLITE_S=$(median "${sqlite[@]}")
PLAIN_CPU=$(median "${plain_cpu[@]}")
SQLITE_CPU=$(median "${sqlite_cpu[@]}")
SQLITE_MB=$(python3 -c "import os, sys; print(round(os.path.getsize(sys.argv[1]) / 1e6, 1))" "$SQLITE_FILE")

# PostgreSQL: the writer alone, from this corpus's NDJSON.
NDJSON_FILE="$BENCH_DIR/db-input.ndjson"
"$IKI" extract "$DB_DIR" -q --ndjson "$NDJSON_FILE" || true
PG_URL="${IKI_BENCH_POSTGRES_URL:-}"
if [ -z "$PG_URL" ]; then
    PG_ENV="$(scripts/pg-test-server.sh start "$BENCH_DIR/pg" 55434)"
    PG_URL="${PG_ENV#export IKI_TEST_POSTGRES_URL=}"
fi
PG_SERVER="${PG_URL%/*}"
PG_BENCH_URL="$PG_SERVER/iki_bench"
fresh_pg() {
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS iki_bench" -c "CREATE DATABASE iki_bench" >/dev/null
}
rates=()
pg_loads=()
for i in 1 2 3; do
    fresh_pg
    pg_loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    line=$("$LOAD" "$PG_BENCH_URL" "$NDJSON_FILE")
    echo "  pg-load-$i: $line (load ${pg_loads[-1]})" >&2
    rates+=("$(echo "$line" | awk '{print $NF}')")
done
PG_ROWS=$(echo "$line" | awk '{print $4}')
PG_RATE=$(median "${rates[@]}")
fresh_pg
measure pg-extract "$IKI" extract "$DB_DIR" -q --ndjson /dev/null --db "$PG_BENCH_URL"
sqlite_rates=()
for i in 1 2 3; do
    rm -f "$SQLITE_FILE" "$SQLITE_FILE-wal" "$SQLITE_FILE-shm"
    sqlite_rates+=("$("$LOAD" "sqlite:$SQLITE_FILE" "$NDJSON_FILE" | awk '{print $NF}')")
done
sqlite_rate=$(median "${sqlite_rates[@]}")
range() { python3 -c "import sys; v = sorted(map(float, sys.argv[1:])); print(f'{v[0]:g}-{v[-1]:g}')" "$@"; }
percent() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{(b / a - 1) * 100:+.0f}%')" "$1" "$2"; }

DB_REPORT="$BENCH_DIR/db-report.md"
{
    echo "### Database import of $SMALL of synthetic text ($DB_DIR, $(find "$DB_DIR" -type f | wc -l) files, $PG_ROWS indicator rows)"
    echo
    echo "Machine: $(nproc) cores; 1-minute load average at the start of the runs: $(range "${loads[@]}") (extract), $(range "${pg_loads[@]}") (PostgreSQL writer)."
    echo
    echo "| run | wall s (median of 3) | CPU s (median of 3) |"
    echo "|---|---:|---:|"
    echo "| iki extract --ndjson /dev/null | $PLAIN_S | $PLAIN_CPU |"
    echo "| iki extract --ndjson /dev/null --db sqlite:FILE | $SQLITE_S ($(percent "$PLAIN_S" "$SQLITE_S")) | $SQLITE_CPU ($(percent "$PLAIN_CPU" "$SQLITE_CPU")) |"
    echo "| iki extract --ndjson /dev/null --db postgres://… (one run) | ${SECONDS_OF[pg-extract]} | ${CPU_OF[pg-extract]} (client) |"
    echo
    echo "- SQLite import adds **$(percent "$PLAIN_S" "$SQLITE_S")** wall time to the extraction (target <= +25%), $(percent "$PLAIN_CPU" "$SQLITE_CPU") CPU time; file $SQLITE_MB MB"
    echo "- PostgreSQL writer alone (NDJSON already decoded, binary COPY): **$PG_RATE indicator rows/s** (median of 3: $(range "${rates[@]}"); target >= 50,000)"
    echo "- SQLite writer alone, same input: $sqlite_rate indicator rows/s (median of 3)"
} | tee "$DB_REPORT"