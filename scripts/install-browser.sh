#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the browser tests (Playwright drives it; its own browser download
# cannot be used here). Idempotent: does nothing when chromium is already installed.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "install-browser: $CHROMIUM is missing; install Debian's chromium package (apt-get install chromium)," >&2
    echo "or set CHROMIUM to a Chromium or Chrome binary" >&2
    exit 1
fi
echo "install-browser: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
echo "install-browser: $($CHROMIUM --version 2>/dev/null)"
