#!/usr/bin/env bash
# Builds the TypeScript SDK and runs its tests with node's test runner against a real airlock serve on each engine
# (AIRLOCK_SDK_TEST_ENGINES, "podman,docker" by default), writing "passed=N failed=N skipped=N" to --counts FILE.
# A run that breaks before its tests (setup, compile) counts as one failure, never as green.
# Usage: bash sdk/typescript/test/run.sh [--counts FILE]
set -uo pipefail
sdk=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$sdk/../.." && pwd)
counts=""
while [ $# -gt 0 ]; do
  case $1 in
    --counts) counts=$2; shift 2 ;;
    *) echo "usage: $0 [--counts FILE]" >&2; exit 2 ;;
  esac
done

broke() {
  echo "the test run broke: $1" >&2
  [ -n "$counts" ] && echo "passed=0 failed=1 skipped=0" >"$counts"
  echo "typescript sdk: 0 passed, 1 failed, 0 skipped"
  exit 1
}

bash "$root/scripts/setup-typescript-sdk.sh" || broke "scripts/setup-typescript-sdk.sh failed"
cd "$sdk" || broke "no $sdk"
rm -rf build
rm -rf dist
node_modules/.bin/tsc -p tsconfig.json && node_modules/.bin/tsc -p tsconfig.test.json || broke "the SDK or its tests do not compile"

files=(build/test/connection.test.js build/test/schema.test.js build/test/packaging.test.js)
IFS=, read -r -a engines <<<"${AIRLOCK_SDK_TEST_ENGINES:-podman,docker}"
for engine in "${engines[@]}"; do
  [ -f "build/test/$engine.test.js" ] || broke "no tests for engine '$engine'"
  files+=("build/test/$engine.test.js")
done

tally=$(mktemp)
trap 'rm -f "$tally"' EXIT
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/counts.mjs --test-reporter-destination="$tally" "${files[@]}"
status=$?
grep -qE '^passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+$' "$tally" || broke "node's test runner wrote no counts (exit $status)"
read -r passed failed skipped < <(sed -E 's/passed=([0-9]+) failed=([0-9]+) skipped=([0-9]+)/\1 \2 \3/' "$tally")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
[ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && { echo "no test ran" >&2; failed=1; }
[ -n "$counts" ] && echo "passed=$passed failed=$failed skipped=$skipped" >"$counts"
echo "typescript sdk: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
