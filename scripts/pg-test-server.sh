#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for the iki-db tests, CI and bench.sh.
#
#   scripts/pg-test-server.sh start DIR [PORT]   # initdb DIR if new, start it, create database
#                                                # `iki`, print `export IKI_TEST_POSTGRES_URL=...`
#   scripts/pg-test-server.sh stop DIR
#
# Needs the Debian package `postgresql` (initdb, pg_ctl). The server refuses to run as root, so
# as root the cluster belongs to the `postgres` user the package creates. Local connections are
# trusted (`--auth=trust`): the server listens on 127.0.0.1 only and holds test data only.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
port="${3:-55432}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
fi
bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ]; then bindir="$candidate"; break; fi
done
if [ -z "$bindir" ]; then
    echo "pg-test-server.sh: no PostgreSQL server found; install it (Debian: apt-get install postgresql)" >&2
    exit 1
fi

# as_owner CMD...: run CMD as the cluster's owner (postgres when we are root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$cmd" in
start)
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
        as_owner "$bindir/initdb" -D "$dir" --auth=trust --username=postgres --encoding=UTF8 \
            --locale=C >"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=100" >/dev/null \
            || { cat "$dir/server.log" >&2; exit 1; }
    fi
    url="postgres://postgres@127.0.0.1:$port/iki"
    if ! "$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'iki'" | grep -q 1; then
        "$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE iki" >/dev/null
    fi
    echo "export IKI_TEST_POSTGRES_URL=$url"
    ;;
stop)
    as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    ;;
*)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
