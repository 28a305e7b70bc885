#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the audit-store tests and print its URL.
#
#   scripts/postgres-test.sh            start; prints BONEMET_TEST_POSTGRES_URL=... and BONEMET_TEST_POSTGRES_DIR=...
#   scripts/postgres-test.sh stop DIR   stop the cluster started in DIR and delete DIR
#
# Installs the Debian postgresql package with apt-get when the server binaries are missing
# and we are root. initdb refuses to run as root, so as root the cluster belongs to the
# 'postgres' user (created by the package). The cluster listens on 127.0.0.1 on a free port,
# trusts local connections, and lives in a temporary directory.
set -euo pipefail

if [[ "${1:-}" == "stop" ]]; then
    dir="${2:?usage: $0 stop DIR}"
    [[ -f "$dir/postmaster.dir" ]] || { echo "no cluster in $dir" >&2; exit 1; }
    bin="$(cat "$dir/bin.dir")"
    owner="$(stat -c %U "$dir/data")"
    if [[ "$(id -u)" == 0 && "$owner" != root ]]; then
        runuser -u "$owner" -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    else
        "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    exit 0
fi

if [[ -n "${BONEMET_TEST_POSTGRES_URL:-}" ]]; then
    echo "BONEMET_TEST_POSTGRES_URL=$BONEMET_TEST_POSTGRES_URL"
    exit 0
fi

find_bin() {
    local candidate
    for candidate in /usr/lib/postgresql/*/bin; do
        if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

if ! bin="$(find_bin)"; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing postgresql with apt-get ..." >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        bin="$(find_bin)" || { echo "postgresql installed but initdb/pg_ctl not found" >&2; exit 2; }
    else
        echo "PostgreSQL server binaries not found and cannot install them (need root and apt-get)" >&2
        exit 2
    fi
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
dir="$(mktemp -d /tmp/bonemet-pg.XXXXXX)"
echo "$bin" > "$dir/bin.dir"
touch "$dir/postmaster.dir"
run=()
if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
    chown postgres "$dir"
    chmod 700 "$dir"
    run=(runuser -u postgres --)
fi
"${run[@]}" "$bin/initdb" -D "$dir/data" -U bonemet -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 3; }
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 4; }

echo "BONEMET_TEST_POSTGRES_URL=postgresql://bonemet@127.0.0.1:$port/postgres"
echo "BONEMET_TEST_POSTGRES_DIR=$dir"
