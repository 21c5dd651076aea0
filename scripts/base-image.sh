#!/usr/bin/env bash
# Makes the local base image with mmdebstrap from the machine's own apt sources (no registry is reachable on these
# machines) and imports it into every engine that lacks it: root's podman, Docker, and the rootless podman storage of the
# user it is run for (--user NAME, else whoever ran sudo). Run as anyone: it asks sudo for root when needed.
# Real users with a registry set baseImage instead (see docs/configuration.md).
source "$(dirname "$0")/lib.sh"

user_flag=
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --user) [ $# -ge 2 ] || usage_error "--user needs a user name"; user_flag=$2; shift 2 ;;
    -h | --help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "base-image.sh: unknown argument '$1' (known: --user NAME)" ;;
  esac
done
# Flags are checked first: a wrong one is said at once, before any sudo prompt.
become_root "$0" "${args[@]}"
user=$(target_user "$user_flag")

IMAGE=$(base_image_name)
TARBALL=$(base_image_tarball)

have_podman() { podman image exists "$IMAGE" 2>/dev/null; }
have_docker() { docker -H unix:///var/run/docker.sock image inspect "$IMAGE" >/dev/null 2>&1; }

if have_podman && have_docker; then
  log "base image $IMAGE present in podman and docker"
else
  if [ ! -s "$TARBALL" ]; then
    command -v mmdebstrap >/dev/null || die "mmdebstrap is missing; run scripts/setup-engines.sh first"
    # The mirror is the machine's: whatever its apt uses (a local mirror, a proxy, a snapshot), the image uses too.
    mapfile -t sources < <(bash "$(dirname "$0")/apt-sources.sh" bookworm)
    mkdir -p "$(dirname "$TARBALL")"
    log "building $IMAGE with mmdebstrap from ${sources[0]#deb } (about a minute the first time)"
    mmdebstrap --quiet --format=tar --variant=minbase --include=ca-certificates bookworm "$TARBALL.tmp" "${sources[@]}"
    chmod 644 "$TARBALL.tmp" # users import it into their own rootless storage
    mv "$TARBALL.tmp" "$TARBALL"
  fi
  have_podman || { log "importing into podman"; podman import --quiet "$TARBALL" "$IMAGE" >/dev/null; }
  have_docker || { log "importing into docker"; docker -H unix:///var/run/docker.sock import "$TARBALL" "$IMAGE" >/dev/null; }
fi

if [ "$user" != root ]; then
  import_base_image_for "$user"
  log "base image $IMAGE ready in podman, docker and $user's rootless podman"
else
  log "base image $IMAGE ready in podman and docker"
fi
