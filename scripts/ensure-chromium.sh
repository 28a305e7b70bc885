#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (tests/web).
#
# Idempotent and quiet: does nothing when /usr/bin/chromium already exists. Uses apt-get
# (Debian's own package, never a browser download by Playwright: `playwright install` is
# not used by this project). Needs root, or sudo without a password; otherwise it says
# what to run and fails, so `make test` stops with a clear message instead of skipping.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    AS_ROOT=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    AS_ROOT=(sudo -n)
else
    echo "ensure-chromium: $CHROMIUM is missing; install it with: sudo apt-get install chromium" >&2
    exit 1
fi

echo "ensure-chromium: installing Debian's chromium with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
# Output is kept out of the way (apt and debconf are chatty) and shown only if a step fails.
if ! { "${AS_ROOT[@]}" apt-get update -qq && \
       "${AS_ROOT[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$LOG" 2>&1; then
    cat "$LOG" >&2
    echo "ensure-chromium: apt-get failed" >&2
    exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
