#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working Airlock: engines, base image, the airlock binary on PATH,
# then `airlock doctor` and a first real sandbox. Safe to run again: every step checks before it changes anything.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)

bash "$root/scripts/setup-engines.sh"
bash "$root/scripts/base-image.sh"
bash "$root/scripts/install-airlock.sh"

if [ "${1:-}" != "--no-demo" ]; then
  log "airlock doctor"
  airlock doctor
  log "a first sandbox: the current directory's listing, seen from inside a container"
  airlock engine run --rm localhost/airlock-base:bookworm -- sh -c 'echo "hello from $(hostname) running $(. /etc/os-release; echo $PRETTY_NAME) as $(id -un)"'
fi
