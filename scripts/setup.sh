#!/usr/bin/env bash
# bash scripts/setup.sh [--user NAME] [--no-demo]
# One command from a fresh Debian 12 machine to a working Airlock for the person who runs it: engines, base image, that
# user prepared for both engines (prepare-user.sh), `airlock` on PATH, then `airlock doctor` and a first real sandbox
# with the current directory mounted, both as that user (the first run builds the 'default' namespace: a few minutes).
# Run it as yourself (it asks sudo for root) or as root (a fresh machine without sudo); --user NAME sets Airlock up for
# NAME instead of whoever ran sudo. Safe to run again: every step checks before it changes anything.
source "$(dirname "$0")/lib.sh"
start_dir=$PWD
here=$(cd "$(dirname "$0")" && pwd)

user_flag= demo=yes
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --user) [ $# -ge 2 ] || usage_error "--user needs a user name, e.g. --user $(id -un)"; user_flag=$2; shift 2 ;;
    --no-demo) demo=; shift ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "setup.sh: unknown argument '$1' (known: --user NAME, --no-demo)" ;;
  esac
done
# Flags are checked first: a wrong one is said at once, before any sudo prompt.
become_root "$0" "${args[@]}"
user=$(target_user "$user_flag")
log "setting Airlock up for $user"

bash "$here/setup-engines.sh"
bash "$here/base-image.sh" --user root
# Its standard output is the one line about a new login, if one is needed: said again at the very end, where it is seen.
login_note=$(bash "$here/prepare-user.sh" --user "$user")
bash "$here/install-airlock.sh"
airlock="${AIRLOCK_PREFIX:-/usr/local}/bin/airlock"
say_login_note() { if [ -n "$login_note" ]; then log "$login_note"; fi; }

log "airlock doctor (as $user)"
as_user "$user" "$airlock" doctor

if [ -z "$demo" ]; then
  say_login_note
  exit 0
fi

# The first sandbox mounts where setup.sh was started, when that is a project the user can enter; not their whole home.
home=$(user_home "$user")
project=$start_dir
if [ "$project" = / ] || [ "$project" = "$home" ] || ! as_user "$user" test -r "$project" -a -x "$project"; then
  project="$home/airlock-demo"
  as_user "$user" mkdir -p "$project"
  log "the first sandbox mounts $project ($user's own; not $start_dir)"
fi
cd "$project"
if [ -t 0 ] && [ -t 1 ]; then
  say_login_note
  log "entering the 'default' namespace as $user with $project mounted (exit the shell to leave)"
  as_user "$user" "$airlock"
  exit $?
fi
log "a first sandbox, as $user: $project seen from inside the 'default' namespace"
as_user "$user" "$airlock" -- sh -c 'echo "inside $(hostname) as $(id -un) (uid $(id -u)), in $(pwd):"; ls -la | head -n 20'
say_login_note
