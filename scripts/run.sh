#!/usr/bin/env bash
# Runs Bulwark on this machine. Until `bulwark serve` lands (issue 6) this runs the smaller real program
# that exists today: bulwark-bench in quick mode, which starts its own redis-server on a free loopback
# port, drives it through our hiredis client and the resilience policies, and prints JSON lines.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift run -c release bulwark-bench --quick "$@"
