#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: its own cluster in a folder, a unix
# socket in that folder (no TCP port), trust authentication, fsync off.
#
#   scripts/pg_test_server.sh start DIR   # prints the server's URL on stdout
#   scripts/pg_test_server.sh stop DIR    # stops it and removes DIR
#
# Installs PostgreSQL from the distribution's packages when it is missing (as root,
# or with sudo).  initdb refuses to run as root, so as root the cluster belongs to
# the package's `postgres` user.  Exit status 3: no server could be started.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?folder}

find_bin() {
    local name=$1
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -1
}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
as_owner() {  # run a server command as the cluster's owner
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
    else
        "$@"
    fi
}

case "$action" in
start)
    if [ -z "$(find_bin initdb)" ]; then
        if command -v apt-get >/dev/null 2>&1 && { [ -z "$SUDO" ] || sudo -n true 2>/dev/null; }; then
            echo "Installing PostgreSQL (Debian package postgresql) for the tests" >&2
            $SUDO apt-get update -qq >&2
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
        fi
    fi
    initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl)
    if [ -z "$initdb" ] || [ -z "$pg_ctl" ]; then
        echo "PostgreSQL is not installed (initdb not found)" >&2; exit 3
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "no 'postgres' user to own the cluster" >&2; exit 3; }
        chown postgres "$dir"; chmod 700 "$dir"
        chmod o+x "$(dirname "$dir")"  # the postgres user must reach its folder (mktemp makes 700)
    fi
    as_owner "$initdb" -D "$dir/data" -A trust -U workbench -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_owner "$initdb" -D "$dir/data" -A trust -U workbench -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 3; }
    as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 3; }
    echo "postgresql+psycopg://workbench@/postgres?host=$dir"
    ;;
stop)
    pg_ctl=$(find_bin pg_ctl)
    if [ -n "$pg_ctl" ] && [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
