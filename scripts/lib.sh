#!/usr/bin/env bash
# Shared helpers for the machine set-up scripts. Sourced, not run.
set -euo pipefail

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# Wrong input (a flag, a user name): exit 2 like airlock itself, saying what was wrong and how to fix it.
usage_error() { printf 'error: %s\n' "$*" >&2; exit 2; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "this step installs system packages; run it as root (bash $0 as root, or: sudo bash $0)"
}

# Runs the calling script again as root when it is not: `become_root "$0" "$@"` at its top. A fresh Debian machine
# used as root has no sudo, so root never needs it; anyone else goes through sudo, which records who asked in
# SUDO_USER (the user the set-up is for). The AIRLOCK_* settings are passed on: sudo resets the environment.
become_root() {
  [ "$(id -u)" -eq 0 ] && return 0
  local script
  script="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  shift
  command -v sudo >/dev/null 2>&1 ||
    die "this needs root, and sudo is not installed: run it as root (su -c 'bash $script'), or install sudo (as root: apt-get install sudo; adduser $(id -un) sudo) and log in again"
  local keep=()
  while IFS='=' read -r name _; do
    case "$name" in AIRLOCK_*) keep+=("$name=${!name}") ;; esac
  done < <(env)
  log "this needs root: running it again through sudo"
  exec sudo -- env "${keep[@]}" bash "$script" "$@"
}

# The user the set-up is for: a --user NAME flag (passed in), else whoever ran sudo, else root.
target_user() {
  local flag=${1:-}
  if [ -n "$flag" ]; then
    id -u "$flag" >/dev/null 2>&1 || usage_error "--user $flag: no such user; create it first (useradd --create-home $flag) or name an existing one"
    printf '%s\n' "$flag"
  elif [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && id -u "$SUDO_USER" >/dev/null 2>&1; then
    printf '%s\n' "$SUDO_USER"
  else
    id -un
  fi
}

user_home() { getent passwd "$1" | cut -d: -f6; }

# A command as USER, with a login's HOME, USER and runtime dir (no systemd-logind here to set XDG_RUNTIME_DIR),
# in USER's own groups as /etc/group now lists them. The caller's XDG dirs are dropped: podman would read USER's
# storage.conf (and airlock its state) under the caller's home. Root runs it as is.
as_user() {
  local user=$1
  shift
  if [ "$user" = "$(id -un)" ]; then "$@"; return; fi
  local uid
  uid=$(id -u "$user")
  runuser -u "$user" -- env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME -u XDG_CACHE_HOME HOME="$(user_home "$user")" USER="$user" LOGNAME="$user" XDG_RUNTIME_DIR="/run/user/$uid" "$@"
}

# apt-get update once per boot, only when something must be installed.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root
  if [ ! -f /run/airlock-apt-updated ]; then
    log "apt-get update"
    apt-get update -qq
    touch /run/airlock-apt-updated
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Writes a file only when its content differs, so a second run changes nothing.
write_if_changed() {
  local path=$1 content=$2
  if [ -f "$path" ] && [ "$(cat "$path")" = "$content" ]; then return 0; fi
  mkdir -p "$(dirname "$path")"
  printf '%s\n' "$content" >"$path"
  log "wrote $path"
}

# The base image every engine gets, and the rootfs tarball it is made from (scripts/base-image.sh).
base_image_name() { printf '%s\n' "${AIRLOCK_BASE_IMAGE:-localhost/airlock-base:bookworm}"; }
base_image_tarball() { printf '%s\n' "${AIRLOCK_CACHE:-/var/cache/airlock}/airlock-base-bookworm.tar"; }

# Puts the base image into USER's own (rootless) podman storage: from the tarball, else from root's podman.
import_base_image_for() {
  local user=$1 image tarball
  image=$(base_image_name)
  tarball=$(base_image_tarball)
  [ "$user" = root ] && return 0 # root's engines are base-image.sh's
  if as_user "$user" podman image exists "$image" 2>/dev/null; then return 0; fi
  log "importing $image into $user's rootless podman storage"
  if [ -s "$tarball" ] && as_user "$user" test -r "$tarball"; then
    as_user "$user" podman import --quiet "$tarball" "$image" >/dev/null
  else
    # base-image.sh skips the tarball when both engines already have the image: copy root's podman image instead.
    podman image exists "$image" || die "$image is in neither $tarball nor root's podman; run scripts/base-image.sh first"
    local saved
    saved=$(mktemp /tmp/airlock-base-XXXXXX.tar)
    podman save --quiet --output "$saved" "$image"
    chmod 644 "$saved"
    as_user "$user" podman load --quiet --input "$saved" >/dev/null || { rm -f "$saved"; die "could not load $image into $user's podman"; }
    rm -f "$saved"
  fi
}

# The rootful podman API service scripts/setup-engines.sh keeps on /run/podman/podman.sock, started when it does not answer.
podman_socket() { printf '%s\n' /run/podman/podman.sock; }
ensure_podman_service() {
  local socket
  socket=$(podman_socket)
  podman_up() { curl -sf --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; }
  podman_up && return 0
  need_root
  log "starting podman system service on $socket"
  mkdir -p "$(dirname "$socket")" /var/log/airlock
  # Started from /: a daemon keeps the directory it was started in, and conmon fails every start ("write child: broken
  # pipe") once that directory is deleted, e.g. the checkout this script ran from.
  (cd / && nohup setsid podman system service --time=0 "unix://$socket" >>/var/log/airlock/podman.log 2>&1 &)
  for _ in $(seq 1 100); do podman_up && break; sleep 0.1; done
  podman_up || die "podman system service did not come up; see /var/log/airlock/podman.log"
}

# The isolation level gvisor's runtime: one name on both engines (Airlock's IsolationLevel maps gvisor to it), and the
# executable it names (scripts/setup-gvisor.sh writes it).
gvisor_runtime_name() { printf '%s\n' airlock-runsc; }
gvisor_runtime_path() { printf '%s\n' /usr/local/libexec/airlock/runsc; }
gvisor_loopback_runtime_name() { printf '%s\n' airlock-runsc-loopback; }
gvisor_loopback_runtime_path() { printf '%s\n' /usr/local/libexec/airlock/runsc-loopback; }
