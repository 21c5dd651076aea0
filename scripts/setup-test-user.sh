#!/usr/bin/env bash
# Creates the unprivileged user the launcher's integration tests run airlock as (files made in a sandbox must belong
# to the invoking user, and rootless podman must work for a user who is not root). Idempotent: a second run changes nothing.
#   airlock-tester (uid 1500): a home, the docker group (Debian's docker.sock is root:docker 660), subordinate ids,
#   a runtime dir, overlay storage, and the base image imported into its own (rootless) podman storage.
source "$(dirname "$0")/lib.sh"
need_root

USER_NAME=airlock-tester
USER_ID=1500
IMAGE=${AIRLOCK_BASE_IMAGE:-localhost/airlock-base:bookworm}
TARBALL=${AIRLOCK_CACHE:-/var/cache/airlock}/airlock-base-bookworm.tar
RUNTIME_DIR=/run/user/$USER_ID

if ! id -u "$USER_NAME" >/dev/null 2>&1; then
  log "creating user $USER_NAME (uid $USER_ID)"
  useradd --uid "$USER_ID" --create-home --shell /bin/bash "$USER_NAME"
fi
home=$(getent passwd "$USER_NAME" | cut -d: -f6)

getent group docker >/dev/null || groupadd --system docker
id -nG "$USER_NAME" | tr ' ' '\n' | grep -qx docker || { log "adding $USER_NAME to the docker group"; usermod -aG docker "$USER_NAME"; }

# Rootless podman maps the container's ids onto these ranges. Debian's useradd writes them (SUB_UID_COUNT in
# login.defs), but a user created before uidmap was installed, or by another tool, has none.
for file in /etc/subuid /etc/subgid; do
  touch "$file"
  if ! grep -q "^$USER_NAME:" "$file"; then
    log "adding a subordinate id range for $USER_NAME to $file"
    # 200000 + uid*65536 keeps clear of the ranges useradd hands out from 100000 for the first users.
    echo "$USER_NAME:$((200000 + USER_ID * 65536)):65536" >>"$file"
  fi
done

# slirp4netns (rootless networking) opens the tun device as the user.
if [ -c /dev/net/tun ]; then chmod 666 /dev/net/tun; fi

# No systemd-logind here to make the runtime dir, and nothing else survives a reboot in /run.
if [ ! -d "$RUNTIME_DIR" ] || [ "$(stat -c %u "$RUNTIME_DIR")" != "$USER_ID" ]; then
  mkdir -p "$RUNTIME_DIR"
  chown "$USER_ID:$USER_ID" "$RUNTIME_DIR"
  chmod 700 "$RUNTIME_DIR"
fi

# The default vfs driver copies every layer on every run; overlay (native rootless on this kernel) does not.
storage_conf="$home/.config/containers/storage.conf"
if ! [ -f "$storage_conf" ] || ! grep -q '^driver = "overlay"' "$storage_conf"; then
  runuser -u "$USER_NAME" -- mkdir -p "$home/.config/containers"
  printf '[storage]\ndriver = "overlay"\n' >"$storage_conf"
  chown "$USER_ID:$USER_ID" "$storage_conf"
  log "wrote $storage_conf"
fi

as_user() { runuser -u "$USER_NAME" -- env HOME="$home" XDG_RUNTIME_DIR="$RUNTIME_DIR" "$@"; }

# No registry is reachable: the base image comes from the tarball scripts/base-image.sh made.
if ! as_user podman image exists "$IMAGE" 2>/dev/null; then
  log "importing $IMAGE into $USER_NAME's rootless podman storage"
  if [ -s "$TARBALL" ]; then
    as_user podman import --quiet "$TARBALL" "$IMAGE" >/dev/null
  else
    # base-image.sh skips the tarball when both engines already have the image: copy root's podman image instead.
    podman image exists "$IMAGE" || die "$IMAGE is in neither $TARBALL nor root's podman; run scripts/base-image.sh first"
    saved=$(mktemp /tmp/airlock-base-XXXXXX.tar)
    podman save --quiet --output "$saved" "$IMAGE"
    chmod 644 "$saved"
    as_user podman load --quiet --input "$saved" >/dev/null
    rm -f "$saved"
  fi
fi
log "test user $USER_NAME ready (uid $USER_ID, rootless podman and docker)"
