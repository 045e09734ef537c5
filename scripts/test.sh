#!/usr/bin/env bash
# Runs the whole test suite. Tests start their own redis-server / redis-sentinel processes on free
# loopback ports and stop them; nothing needs to be running beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh --tests
# Formatting first: it takes seconds and fails before a build that takes minutes.
swift format lint --strict -r Sources Tests
swift build --build-tests
# Every library's DocC documentation, warnings as errors (about a minute once the build above is done).
scripts/check-documentation.sh
# One test at a time: many tests measure real time against live Redis processes, and on a 2-core
# machine running them all at once can stretch a 1-second deadline. About a minute in all.
swift test --skip-build --no-parallel "$@"
