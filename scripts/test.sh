#!/usr/bin/env bash
# Runs every check: types, formatting, then every *.test.ts file under src/ and bench/ with node's test runner.
# Fails when no test file is found, because node --test with no files exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-checks" ]]; then
  npx tsc --noEmit -p tsconfig.json
  npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }
fi

mapfile -t files < <(find src bench -name '*.test.ts' | sort)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "No test files found under src/" >&2
  exit 1
fi

node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
