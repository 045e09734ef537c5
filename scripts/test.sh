#!/usr/bin/env bash
# Runs the whole test suite. Tests start their own redis-server / redis-sentinel processes on free
# loopback ports and stop them; nothing needs to be running beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build "$@"
