#!/usr/bin/env bash
# Run COMMAND with a throwaway PostgreSQL server and ASKBRENDA_TEST_PG_URL pointing at it:
#   bash scripts/with_postgres.sh .venv/bin/python -m pytest tests/test_log.py
# Installs Debian's postgresql if missing (as root), builds a fresh cluster in a temp dir, starts
# it on 127.0.0.1:${ASKBRENDA_TEST_PG_PORT:-54329} with trust auth, runs COMMAND, then stops the
# server and deletes the cluster whatever happens. Exits with COMMAND's status.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi
PORT="${ASKBRENDA_TEST_PG_PORT:-54329}"
DB=askbrenda_test

find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BINDIR="$(find_bindir)"
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL is not installed: run this as root, or: sudo apt-get install postgresql" >&2
        exit 1
    fi
    echo "Installing Debian's postgresql..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql </dev/null >/dev/null
    BINDIR="$(find_bindir)"
fi

# PostgreSQL refuses to run as root: as root, run the server as the postgres user.
if [ "$(id -u)" -eq 0 ]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

# Under /tmp (not $TMPDIR, which may be private to root) so the postgres user can reach it.
WORK="$(mktemp -d /tmp/askbrenda-pg.XXXXXX)"
cleanup() {
    if [ -f "$WORK/data/postmaster.pid" ]; then
        (cd "$WORK" && as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null) || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$WORK"; fi

cd "$WORK"  # initdb and pg_ctl need a current directory the postgres user can read
if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "Port $PORT is already in use; set ASKBRENDA_TEST_PG_PORT to a free port." >&2
    exit 1
fi
as_pg "$BINDIR/initdb" -D "$WORK/data" -U postgres --auth=trust --encoding=UTF8 --no-locale \
    --no-sync >"$WORK/initdb.log" || { cat "$WORK/initdb.log" >&2; exit 1; }
# fsync off: a throwaway test cluster needs speed, not durability.
as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c fsync=off" start >/dev/null \
    || { cat "$WORK/server.log" >&2; exit 1; }
"$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
cd - >/dev/null

export ASKBRENDA_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
echo "PostgreSQL ready: $ASKBRENDA_TEST_PG_URL" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
