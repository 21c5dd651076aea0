#!/usr/bin/env bash
# The whole test suite: machine set-up (idempotent), build, every test project against the real engines,
# then one closing line with the real counts: "N passed, N failed[, N skipped]". The tests need root (they make users
# and run airlock as them): run it as root, or as yourself and it asks sudo.
source "$(dirname "$0")/lib.sh"
become_root "$0" "$@"
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup-engines.sh
bash scripts/base-image.sh
bash scripts/setup-test-user.sh   # the non-root user the launcher's integration tests run airlock as
apt_install xvfb xauth            # a real X server for the display-forwarding tests
apt_install sudo                  # the set-up tests run scripts/setup.sh as a user with sudo, as the README says
bash scripts/setup-postgres.sh    # the real PostgreSQL the server's store tests run on (besides SQLite)
bash scripts/setup-bench.sh       # wrk and hyperfine for bench/run (api-list drives the server with wrk)
bash scripts/setup-mcp-client.sh  # node and the official MCP TypeScript SDK client the airlock mcp tests drive it with
bash scripts/setup-openapi-lint.sh  # Redocly's CLI, which lints the server's OpenAPI document in a test
bash scripts/setup-typescript-sdk.sh  # the TypeScript SDK's pinned compiler and type generator (npm ci from its lock file)

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# Built as the checkout's owner: root's build would leave root-owned obj/ and bin/ files in a user's checkout.
owner=$(stat -c %U "$root")
id -u "$owner" >/dev/null 2>&1 || owner=root
log "building (as $owner)"
as_user "$owner" dotnet build Airlock.slnx -c Release --nologo -v quiet -clp:ErrorsOnly

log "running tests"
set +e
# -m:1: one test project at a time. podman 4.3's storage can lose a layer that one build is using while another
# process removes images, so the projects' image builds and clean-ups are kept apart.
# dotnet's own exit status is kept in a file: after `| grep ... || true`, PIPESTATUS no longer holds it.
{ dotnet test Airlock.slnx -c Release --no-build --nologo -m:1 \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" 2>&1; echo $? > "$results/dotnet-test.status"; } \
  | tee "$results/console.log" | grep -E '^\s*(Passed|Failed|Skipped|Total|error|Error Message)|\[FAIL\]|Test Run' || true
status=$(cat "$results/dotnet-test.status" 2>/dev/null || echo 1)
bash scripts/test-sdks.sh "$results"   # the SDKs against a real server: each writes $results/sdk-NAME.counts
set -e

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

for counts in "$results"/*.counts; do   # passed=N failed=N skipped=N, from scripts/test-sdks.sh
  [ -f "$counts" ] || continue
  val() { grep -o "\<$1=[0-9]*" "$counts" | grep -o '[0-9]*$' || echo 0; }
  passed=$((passed + $(val passed))) failed=$((failed + $(val failed))) skipped=$((skipped + $(val skipped)))
done

if [ "$files" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The run broke before reporting (build error, crashed host): count that as a failure, never as green.
  failed=$((failed + 1))
  echo "the test run did not complete (exit $status); see $results/console.log" >&2
fi

[ "$owner" = root ] || chown -R "$owner:" "$results"

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
