#!/usr/bin/env bash
# Redocly's CLI, the standard OpenAPI linter OpenApiLintTests runs on the document airlock serve serves, installed into
# tests/Airlock.Server.Tests/Api/openapi-lint/node_modules at the exact version its package.json names. Safe to run again.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/tests/Airlock.Server.Tests/Api/openapi-lint"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm

wanted=$(node -p "require('$dir/package.json').dependencies['@redocly/cli']")
installed=$(node -p "try { require('$dir/node_modules/@redocly/cli/package.json').version } catch { '' }")
if [ "$installed" != "$wanted" ]; then
  log "installing @redocly/cli $wanted for the OpenAPI lint test"
  # As the checkout's owner, without a lock file (it would record the registry's address); the version is pinned.
  owner=$(stat -c %U "$dir")
  id -u "$owner" >/dev/null 2>&1 || owner=$(id -un)
  as_user "$owner" sh -c 'cd "$1" && npm install --no-package-lock --no-audit --no-fund --loglevel=error' npm-install "$dir"
fi
log "OpenAPI linter ready: @redocly/cli $wanted"
