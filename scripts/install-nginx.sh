#!/usr/bin/env bash
# Debian's nginx, only to check deploy/nginx.conf with `nginx -t` (tests/security/test_deploy.py); it is not
# started. Idempotent: does nothing when nginx is already installed.
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "install-nginx: nginx is missing; install Debian's nginx-light package to check deploy/nginx.conf" >&2
    exit 1
fi
echo "install-nginx: installing Debian's nginx-light"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq nginx-light >/dev/null
# The package starts nginx on port 80 where it can; the stack never uses a system nginx.
if command -v service >/dev/null; then service nginx stop >/dev/null 2>&1 || true; fi
