#!/usr/bin/env bash
# prepare-user.sh [--user NAME]: gets a user ready to run airlock on both engines, as that user: the docker group
# (Debian's docker.sock is root:docker 660), subordinate ids and a runtime dir for rootless podman, overlay storage,
# and the base image in the user's own rootless podman storage. For NAME, else whoever ran sudo; root needs none of it.
# Used by setup.sh (the person setting up) and setup-test-user.sh (the tests' user). Idempotent: a second run changes
# nothing. Its standard output is one line saying what needs a new login, if anything does.
source "$(dirname "$0")/lib.sh"

user_flag=
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --user) [ $# -ge 2 ] || usage_error "--user needs a user name"; user_flag=$2; shift 2 ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "prepare-user.sh: unknown argument '$1' (known: --user NAME)" ;;
  esac
done
# Flags are checked first: a wrong one is said at once, before any sudo prompt.
become_root "$0" "${args[@]}"
user=$(target_user "$user_flag")
if [ "$user" = root ]; then
  log "root uses the rootful engines: nothing to prepare"
  exit 0
fi

uid=$(id -u "$user")
home=$(user_home "$user")
[ -d "$home" ] || die "$user's home $home does not exist; create it (mkhomedir_helper $user) and run this again"
runtime_dir=/run/user/$uid
new_group=

getent group docker >/dev/null || groupadd --system docker
if ! id -nG "$user" | tr ' ' '\n' | grep -qx docker; then
  log "adding $user to the docker group"
  usermod -aG docker "$user"
  new_group=docker
fi

# Rootless podman maps the container's ids onto these ranges. Debian's useradd writes them (SUB_UID_COUNT in
# login.defs), but a user created before uidmap was installed, or by another tool, has none. The new range starts
# after the highest one handed out, as useradd's own would.
added_ids=
for file in /etc/subuid /etc/subgid; do
  touch "$file"
  if ! grep -q "^$user:" "$file" && ! grep -q "^$uid:" "$file"; then
    start=$(awk -F: 'BEGIN { end = 100000 } NF == 3 && $2 + $3 > end { end = $2 + $3 } END { print end }' "$file")
    log "adding the subordinate id range $start-$((start + 65535)) for $user to $file"
    echo "$user:$start:65536" >>"$file"
    added_ids=yes
  fi
done

# slirp4netns (rootless networking) opens the tun device as the user.
if [ -c /dev/net/tun ]; then chmod 666 /dev/net/tun; fi

# Without systemd-logind nothing makes the runtime dir (and /run does not survive a reboot): rootless podman keeps its
# locks and sockets there, and finds it at /run/user/UID even when XDG_RUNTIME_DIR is unset.
if [ ! -d "$runtime_dir" ] || [ "$(stat -c %u "$runtime_dir")" != "$uid" ]; then
  install -d -m 700 -o "$uid" -g "$(id -g "$user")" "$runtime_dir"
  log "made $runtime_dir"
fi

# The default vfs driver copies every layer on every run; overlay (native rootless on this kernel) does not. Written as
# the user (their home is theirs: root never writes through links in it), and never over a storage.conf of their own.
storage_conf="$home/.config/containers/storage.conf"
if ! as_user "$user" test -e "$storage_conf"; then
  as_user "$user" sh -c 'mkdir -p "$(dirname "$1")" && printf "[storage]\ndriver = \"overlay\"\n" >"$1"' sh "$storage_conf"
  log "wrote $storage_conf"
elif ! as_user "$user" grep -q '^driver = "overlay"' "$storage_conf"; then
  log "left $storage_conf as it is (not overlay: podman copies every layer; set driver = \"overlay\" there to change that)"
fi

# New id ranges reach a podman that ran before only after a migrate (it restarts the user's pause process).
if [ -n "$added_ids" ] && as_user "$user" test -d "$home/.local/share/containers/storage"; then
  as_user "$user" podman system migrate >/dev/null 2>&1 || true
fi

import_base_image_for "$user"

log "$user is ready for airlock: rootless podman (base image in its storage) and docker"
# The one line about what needs a new login, on standard output (everything else here is on standard error) so that
# setup.sh can say it again last.
if [ -n "$new_group" ]; then
  echo "$user is now in the '$new_group' group, which counts from $user's next login: airlock works now (it uses $user's rootless podman); to use docker from a shell opened before, run: newgrp $new_group"
fi
