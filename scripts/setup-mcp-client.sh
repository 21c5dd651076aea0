#!/usr/bin/env bash
# The real MCP client the `airlock mcp` tests drive it with: node, npm and the official TypeScript SDK
# (@modelcontextprotocol/sdk, the exact version in tests/Airlock.Launcher.IntegrationTests/Mcp/client/package.json),
# installed into that directory's node_modules. Safe to run again: installs only what is missing.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
client="$root/tests/Airlock.Launcher.IntegrationTests/Mcp/client"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm

wanted=$(node -p "require('$client/package.json').dependencies['@modelcontextprotocol/sdk']")
installed=$(node -p "try { require('$client/node_modules/@modelcontextprotocol/sdk/package.json').version } catch { '' }")
if [ "$installed" != "$wanted" ]; then
  log "installing @modelcontextprotocol/sdk $wanted for the airlock mcp tests"
  # No lock file: it would record the registry's address; the one direct dependency is pinned exactly.
  # As the checkout's owner: root's node_modules would be left in a user's checkout for them to trip over.
  owner=$(stat -c %U "$client")
  id -u "$owner" >/dev/null 2>&1 || owner=$(id -un)
  as_user "$owner" sh -c 'cd "$1" && npm install --no-package-lock --no-audit --no-fund --loglevel=error' npm-install "$client"
fi
log "MCP test client ready: node $(node --version), @modelcontextprotocol/sdk $wanted"
