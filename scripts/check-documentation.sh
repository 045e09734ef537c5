#!/usr/bin/env bash
# Builds the DocC documentation of every library product with warnings as errors: a broken symbol link, an
# undocumented parameter or a catalog page that does not resolve fails CI. The archives land in
# .build/plugins/Swift-DocC/outputs/; `swift package --disable-sandbox preview-documentation --target NAME` serves one.
set -euo pipefail
cd "$(dirname "$0")/.."

# The library products whose documentation CI builds, each with its catalog in Sources/NAME/Documentation.docc.
# A new library product is added here.
products=(
    RedisClient
    Resilience
    SharedState
    Bulwark
    BulwarkService
    RedisTestSupport
)

arguments=()
for product in "${products[@]}"; do arguments+=(--target "$product"); done
swift package generate-documentation "${arguments[@]}" --warnings-as-errors --disable-indexing
