#!/usr/bin/env bash
# Regenerate the web app's API types from the platform's OpenAPI document.
#   scripts/openapi.sh           write frontend/src/api/schema.d.ts
#   scripts/openapi.sh --check   fail when the committed file differs from a fresh generation
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON_BIN:-.venv/bin/python}"
GEN="frontend/node_modules/.bin/openapi-typescript"
TARGET="frontend/src/api/schema.d.ts"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$PY" scripts/export_openapi.py "$tmp/openapi.json"
"$GEN" "$tmp/openapi.json" -o "$tmp/schema.d.ts" >/dev/null

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$TARGET" "$tmp/schema.d.ts" >"$tmp/diff.txt"; then
    echo "error: $TARGET is stale; run 'make openapi' and commit the result. Difference:" >&2
    head -n 60 "$tmp/diff.txt" >&2
    exit 1
  fi
  echo "openapi: $TARGET is up to date"
else
  cp "$tmp/schema.d.ts" "$TARGET"
  echo "openapi: wrote $TARGET"
fi
