#!/usr/bin/env bash
# Publishes the airlock CLI (ReadyToRun, framework-dependent) and installs it: as root into /usr/local/lib/airlock with
# /usr/local/bin/airlock on everyone's PATH, as anyone else into ~/.local/lib/airlock and ~/.local/bin (AIRLOCK_PREFIX
# picks another prefix). The build runs as the checkout's owner, so root never leaves root-owned files in a user's
# checkout; the installed copy belongs to the installer, so a user's checkout is never what root runs.
# AIRLOCK_INSTALL_FROM=DIR installs an already built airlock (its apphost and DLLs) instead of publishing.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" -eq 0 ]; then prefix=${AIRLOCK_PREFIX:-/usr/local}; else prefix=${AIRLOCK_PREFIX:-$HOME/.local}; fi
libdir="$prefix/lib/airlock"
bindir="$prefix/bin"

if [ -n "${AIRLOCK_INSTALL_FROM:-}" ]; then
  from=$AIRLOCK_INSTALL_FROM
  [ -x "$from/airlock" ] || usage_error "AIRLOCK_INSTALL_FROM=$from holds no airlock executable; point it at a build output dir (src/Airlock.Cli/bin/Release/net10.0)"
else
  command -v dotnet >/dev/null || die "the .NET 10 SDK is missing: install it from https://dot.net (dotnet-sdk-10.0), then run this again"
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) die "no .NET runtime identifier known for $(uname -m)" ;;
  esac
  from="$root/artifacts/airlock"
  owner=$(stat -c %U "$root")
  id -u "$owner" >/dev/null 2>&1 || owner=$(id -un) # a checkout owned by a uid with no account
  log "publishing airlock to $from (as $owner, the checkout's owner)"
  publish=(dotnet publish "$root/src/Airlock.Cli/Airlock.Cli.csproj" -c Release -r "$rid" --self-contained false -o "$from" --nologo -v quiet -p:PublishReadyToRun=true)
  if [ "$owner" = "$(id -un)" ]; then "${publish[@]}" >/dev/null; else as_user "$owner" "${publish[@]}" >/dev/null; fi
  # airlock-relay runs inside allowlist sandboxes, whose images have no .NET: a native executable beside airlock.
  relay=(dotnet publish "$root/src/Airlock.Relay/Airlock.Relay.csproj" -c Release -r "$rid" -o "$from" --nologo -v quiet)
  if [ "$owner" = "$(id -un)" ]; then "${relay[@]}" >/dev/null; else as_user "$owner" "${relay[@]}" >/dev/null; fi
  rm -f "$from/airlock-relay.dbg"
fi
# A build output dir has no relay of its own; every Release build of the checkout leaves one in artifacts/relay.
relay_from=$from/airlock-relay
[ -x "$relay_from" ] || relay_from=$root/artifacts/relay/airlock-relay
[ -x "$relay_from" ] || log "note: neither $from nor $root/artifacts/relay has airlock-relay; sandboxes in network allowlist mode will not start (AIRLOCK_RELAY names one)"

# Replaced whole, and only when it changed: a second run installs nothing. source-checkout tells `airlock doctor` where
# this checkout's scripts are, so the fixes it prints can name them by a path that works from anywhere.
if [ -d "$libdir" ] && diff -rq -x source-checkout -x airlock-relay "$from" "$libdir" >/dev/null 2>&1 && [ "$(cat "$libdir/source-checkout" 2>/dev/null)" = "$root" ] \
  && { [ ! -x "$relay_from" ] || cmp -s "$relay_from" "$libdir/airlock-relay"; }; then
  log "airlock already installed: $bindir/airlock -> $libdir/airlock"
else
  mkdir -p "$prefix/lib" "$bindir"
  rm -rf "$libdir.new"
  cp -R "$from" "$libdir.new"
  if [ -x "$relay_from" ] && [ "$relay_from" != "$from/airlock-relay" ]; then cp "$relay_from" "$libdir.new/airlock-relay"; fi
  printf '%s\n' "$root" >"$libdir.new/source-checkout"
  chmod -R u+rwX,go+rX,go-w "$libdir.new"
  rm -rf "$libdir"
  mv "$libdir.new" "$libdir"
  log "airlock installed: $bindir/airlock -> $libdir/airlock"
fi
ln -sfn "$libdir/airlock" "$bindir/airlock"
case ":$PATH:" in *":$bindir:"*) ;; *) log "add $bindir to your PATH";; esac
