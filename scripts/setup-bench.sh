#!/usr/bin/env bash
# What bench/run needs besides the engines and the base image: wrk (api-list's load generator) and hyperfine.
# Safe to run again: installs only what is missing.
source "$(dirname "$0")/lib.sh"
apt_install wrk hyperfine
log "benchmark tools ready: $(command -v wrk) $(command -v hyperfine)"
