#!/usr/bin/env bash
# Installs what Bulwark needs from Debian's packages, only when it is missing:
# hiredis headers to build, redis-server / redis-sentinel to run and test, redis-tools for redis-benchmark;
# with --tests also chromium, in which the dashboard test renders the page, curl, which reads the event stream,
# iproute2 (ip, tc), with which the partition test puts an instance in a network namespace of its own, and
# schemathesis (PyPI), which fuzzes the admin API from its OpenAPI document; with --bench also wrk, the HTTP load
# generator of bulwark-bench's W10 (middleware).
set -euo pipefail

missing=()
[ -f /usr/include/hiredis/hiredis.h ] || missing+=(libhiredis-dev)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
if [ "${1:-}" = "--tests" ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    { command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1; } || missing+=(iproute2)
fi

if [ "${1:-}" = "--bench" ]; then
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    # W13 gateway compares with nginx as a plain reverse proxy.
    [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}" </dev/null
fi

if [ "${1:-}" = "--tests" ] && ! command -v st >/dev/null 2>&1; then
    echo "installing: schemathesis (pip)" >&2
    python3 -m pip install --quiet schemathesis </dev/null
fi
