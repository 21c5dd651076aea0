#!/usr/bin/env bash
# Makes the local base image from the Debian mirror (no registry is reachable on these machines) and imports
# it into every engine that lacks it. Real users set a registry image instead (see docs/configuration.md).
source "$(dirname "$0")/lib.sh"

IMAGE=${AIRLOCK_BASE_IMAGE:-localhost/airlock-base:bookworm}
CACHE=${AIRLOCK_CACHE:-/var/cache/airlock}
TARBALL="$CACHE/airlock-base-bookworm.tar"

have_podman() { podman image exists "$IMAGE" 2>/dev/null; }
have_docker() { docker -H unix:///var/run/docker.sock image inspect "$IMAGE" >/dev/null 2>&1; }

if have_podman && have_docker; then log "base image $IMAGE present in podman and docker"; exit 0; fi

if [ ! -s "$TARBALL" ]; then
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing; run scripts/setup-engines.sh first"
  mkdir -p "$CACHE"
  log "building $IMAGE with mmdebstrap (about a minute the first time)"
  mmdebstrap --quiet --format=tar --variant=minbase --include=ca-certificates bookworm "$TARBALL.tmp" http://deb.debian.org/debian
  mv "$TARBALL.tmp" "$TARBALL"
fi
have_podman || { log "importing into podman"; podman import --quiet "$TARBALL" "$IMAGE" >/dev/null; }
have_docker || { log "importing into docker"; docker -H unix:///var/run/docker.sock import "$TARBALL" "$IMAGE" >/dev/null; }
log "base image $IMAGE ready"
