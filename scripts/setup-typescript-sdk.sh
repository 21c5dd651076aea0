#!/usr/bin/env bash
# What the TypeScript SDK's build and tests need: node and npm, and its dev dependencies (typescript, openapi-typescript,
# @types/node) at the exact versions of sdk/typescript/package-lock.json, installed with `npm ci` into
# sdk/typescript/node_modules. Called by sdk/typescript/test/run.sh (and so by scripts/test-sdks.sh). Safe to run again:
# installs only when what is there differs from the lock.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/sdk/typescript"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm

# The installed tree is current when each locked package's version is the one in node_modules.
current=$(cd "$dir" && node -e '
  const lock = require("./package-lock.json").packages;
  const fs = require("fs");
  for (const [path, p] of Object.entries(lock)) {
    if (!path) continue;
    try { if (JSON.parse(fs.readFileSync(path + "/package.json", "utf8")).version !== p.version) throw 0; }
    catch { console.log("no"); process.exit(0); }
  }
  console.log("yes");')
if [ "$current" != yes ]; then
  log "installing the TypeScript SDK's dev dependencies (npm ci)"
  # As the checkout's owner: root's node_modules would be left in a user's checkout for them to trip over.
  owner=$(stat -c %U "$dir")
  id -u "$owner" >/dev/null 2>&1 || owner=$(id -un)
  as_user "$owner" sh -c 'cd "$1" && npm ci --no-audit --no-fund --loglevel=error' npm-ci "$dir"
fi
log "TypeScript SDK ready: node $(node --version), typescript $(node -p "require('$dir/node_modules/typescript/package.json').version")"
