#!/usr/bin/env bash
# The SDKs' test suites, each against a real `airlock serve` (the Release build) on the real engines. Called by
# scripts/test.sh after dotnet test with its results directory; each SDK writes RESULTS/sdk-NAME.counts
# ("passed=N failed=N skipped=N"), which test.sh adds to the closing line, and its output to RESULTS/sdk-NAME.log.
# An SDK whose run breaks before writing its counts counts as one failure, never as green.
# Alone: bash scripts/test-sdks.sh [RESULTS_DIR]   (default artifacts/test-results)
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
results=${1:-$root/artifacts/test-results}
mkdir -p "$results"
cd "$root"

# run_sdk NAME COMMAND...: COMMAND writes the counts to $counts (exported) and exits non-zero on a failure.
run_sdk() {
  local name=$1
  shift
  export counts="$results/sdk-$name.counts"
  rm -f "$counts"
  log "running the $name SDK's tests"
  set +e
  # No "|| true" here: it would reset PIPESTATUS. grep finding nothing is not the suite's failure.
  "$@" 2>&1 | tee "$results/sdk-$name.log" | grep -E '(\.\.\. |^(FAIL|ERROR):|^Ran |^(python|typescript) sdk:|^ *(✔|✖|﹣) )'
  local status=${PIPESTATUS[0]}
  set -e
  if ! grep -qE '^passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+$' "$counts" 2>/dev/null; then
    echo "passed=0 failed=1 skipped=0" >"$counts"
    echo "the $name SDK's test run did not complete (exit $status); see $results/sdk-$name.log" >&2
  elif [ "$status" -ne 0 ] && grep -q ' failed=0 ' "$counts"; then
    sed -i 's/ failed=0 / failed=1 /' "$counts"
    echo "the $name SDK's test run exited $status without a failure counted; counted as one; see $results/sdk-$name.log" >&2
  fi
}

# One line per SDK.
run_sdk python /usr/bin/python3 sdk/python/tests/run.py --counts "$results/sdk-python.counts"
run_sdk typescript bash sdk/typescript/test/run.sh --counts "$results/sdk-typescript.counts"
