#!/usr/bin/env bash
# Publishes the airlock CLI (ReadyToRun, framework-dependent) and links it onto PATH.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
command -v dotnet >/dev/null || die "the .NET 10 SDK is missing: install it from https://dot.net (dotnet-sdk-10.0), then run this again"

out="$root/artifacts/airlock"
log "publishing airlock to $out"
dotnet publish "$root/src/Airlock.Cli/Airlock.Cli.csproj" -c Release -o "$out" --nologo -v quiet -p:PublishReadyToRun=true >/dev/null

if [ "$(id -u)" -eq 0 ]; then bindir=/usr/local/bin; else bindir="$HOME/.local/bin"; mkdir -p "$bindir"; fi
ln -sf "$out/airlock" "$bindir/airlock"
log "airlock installed: $bindir/airlock -> $out/airlock"
case ":$PATH:" in *":$bindir:"*) ;; *) log "add $bindir to your PATH";; esac
