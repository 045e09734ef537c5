#!/usr/bin/env bash
# Runs the Bulwark service (`bulwark serve --demo`) on http://127.0.0.1:${BULWARK_PORT:-8080}/.
#
# Redis: REDIS_URL (default redis://127.0.0.1:6379) is used when it answers. When nothing answers there
# and it is the default address, a redis-server is started on it for as long as this script runs; when
# Redis cannot be had at all, the service runs on its local in-memory fallback and says so on /health.
# Run it a second time with BULWARK_PORT=8081 to see two instances share their breakers through Redis.
# Extra arguments go to `bulwark serve` (e.g. `scripts/run.sh --config bulwark.json`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh

export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
redis_pid=""
cleanup() {
    if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

if command -v redis-cli >/dev/null 2>&1 && redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
    echo "using the Redis at REDIS_URL" >&2
elif [ "$REDIS_URL" = "redis://127.0.0.1:6379" ] && command -v redis-server >/dev/null 2>&1; then
    echo "starting redis-server on 127.0.0.1:6379 for this run" >&2
    redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 &
    redis_pid=$!
else
    echo "no Redis at REDIS_URL: the service starts on its local in-memory fallback" >&2
fi
if [ -z "${BULWARK_ADMIN_TOKEN:-}" ]; then
    echo "admin changes (dashboard buttons) are off: set BULWARK_ADMIN_TOKEN (16+ characters) to enable them" >&2
fi

swift build --product bulwark
.build/debug/bulwark serve --demo "$@" &
service_pid=$!
# Ctrl-C or a TERM ends the service gracefully, then Redis (if started here).
trap 'kill -TERM "$service_pid" 2>/dev/null || true' INT TERM
wait "$service_pid" || true
# A signal interrupts the first wait; this one lasts until the graceful shutdown is over.
wait "$service_pid" 2>/dev/null || true
