#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working Airlock: engines, base image, the airlock binary on PATH,
# then `airlock doctor` and a first real sandbox with the current directory mounted (the first run builds the
# 'default' namespace: a few minutes). Safe to run again: every step checks before it changes anything.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
start_dir=$PWD

bash "$root/scripts/setup-engines.sh"
bash "$root/scripts/base-image.sh"
bash "$root/scripts/install-airlock.sh"

if [ "${1:-}" != "--no-demo" ]; then
  log "airlock doctor"
  airlock doctor
  cd "$start_dir"
  if [ -t 0 ] && [ -t 1 ]; then
    log "entering the 'default' namespace with $start_dir mounted (exit the shell to leave)"
    exec airlock
  fi
  log "a first sandbox: $start_dir seen from inside the 'default' namespace"
  airlock -- sh -c 'echo "inside $(hostname) as $(id -un), in $(pwd):"; ls -la | head -n 20'
fi
