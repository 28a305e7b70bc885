#!/usr/bin/env bash
# Make sure a Java runtime (17 or newer) is installed for Spark local mode (tests/population).
#
# Idempotent and quiet: does nothing when `java` is on PATH. Uses apt-get (Debian's
# openjdk-17-jre-headless). Needs root, or sudo without a password; otherwise it says what to
# run and fails, so `make test` stops with a clear message instead of skipping the Spark tests.
set -euo pipefail

if command -v java >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    AS_ROOT=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    AS_ROOT=(sudo -n)
else
    echo "ensure-java: java is missing; install it with: sudo apt-get install openjdk-17-jre-headless" >&2
    exit 1
fi

echo "ensure-java: installing openjdk-17-jre-headless with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
if ! { "${AS_ROOT[@]}" apt-get update -qq && \
       "${AS_ROOT[@]}" apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; } >"$LOG" 2>&1; then
    cat "$LOG" >&2
    echo "ensure-java: apt-get failed" >&2
    exit 1
fi

if ! command -v java >/dev/null 2>&1; then
    echo "ensure-java: apt-get finished but java is still not on PATH" >&2
    exit 1
fi
