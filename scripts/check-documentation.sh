#!/usr/bin/env bash
# Builds the DocC documentation of every library product with warnings as errors: a broken symbol link, an
# undocumented parameter or a catalog page that does not resolve fails CI. The archives land in
# .build/plugins/Swift-DocC/outputs/; `swift package --disable-sandbox preview-documentation --target NAME` serves one.
set -euo pipefail
cd "$(dirname "$0")/.."

# The library products whose documentation CI builds (with the catalog in Sources/NAME/Documentation.docc where
# it has one; without one, DocC documents the symbols from their comments).
# A new library product is added here.
products=(
    RedisClient
    Resilience
    SharedState
    Bulwark
    BulwarkService
    RedisTestSupport
    BulwarkHummingbird
    OrdersExample
    BulwarkHTTPClient
)

# A library product missing from the list would ship without checked documentation: refuse it by name.
unlisted=$(swift package dump-package | python3 -c '
import json, sys
listed = set(sys.argv[1:])
print(" ".join(p["name"] for p in json.load(sys.stdin)["products"] if "library" in p["type"] and p["name"] not in listed))
' "${products[@]}")
if [ -n "$unlisted" ]; then
    echo "library products whose documentation is not built: $unlisted (add them to products in $0)" >&2
    exit 1
fi

arguments=()
for product in "${products[@]}"; do arguments+=(--target "$product"); done
swift package generate-documentation "${arguments[@]}" --warnings-as-errors --disable-indexing
