# Shared helpers for the machine set-up scripts. Sourced, not run.
set -euo pipefail

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "this step installs system packages; run it as root (sudo $0)"
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
