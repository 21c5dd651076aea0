#!/usr/bin/env bash
# Installs gVisor (Debian's runsc, from backports) and registers it with podman (rootful and every rootless user: the system-wide
# containers.conf.d) and Docker (/etc/docker/daemon.json, merged) under one runtime name, airlock-runsc: the
# isolation level `gvisor` (docs/security.md, "Isolation levels"). Called by setup-engines.sh before it starts the
# engines, or alone (it asks sudo for root). Idempotent: a second run changes nothing, reloads nothing, restarts nothing.
source "$(dirname "$0")/lib.sh"
become_root "$0" "$@"

apt_install jq

# Debian 12's own runsc (a December 2022 build) refuses statx with AT_NO_AUTOMOUNT (EINVAL), which coreutils passes:
# `ls -l` and `stat` failed on every file in a gvisor sandbox. The July 2024 build in the suite's backports takes it.
# Only runsc comes from there (backports are never chosen on their own: apt pins them low).
min_runsc=0.0~20240729
installed=$(dpkg-query -W -f='${Version}' runsc 2>/dev/null || true)
if [ -z "$installed" ] || dpkg --compare-versions "$installed" lt "$min_runsc"; then
  suite=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
  [ -n "$suite" ] || die "/etc/os-release names no Debian suite (VERSION_CODENAME); gVisor's runsc $min_runsc or later is needed"
  uri=$(bash "$(dirname "$0")/apt-sources.sh" "$suite" | awk -v s="$suite" '$3 == s { print $2; exit }') ||
    die "no apt source for $suite in /etc/apt: add Debian's mirror for $suite, then run this again"
  [ -n "$uri" ] || die "no apt source for $suite in /etc/apt: add Debian's mirror for $suite, then run this again"
  write_if_changed /etc/apt/sources.list.d/airlock-backports.list "deb $uri $suite-backports main"
  log "installing runsc from $suite-backports ($uri)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "runsc/$suite-backports" >/dev/null ||
    die "installing runsc from $suite-backports failed; the apt output above says why"
  installed=$(dpkg-query -W -f='${Version}' runsc)
  dpkg --compare-versions "$installed" ge "$min_runsc" || die "runsc $installed is installed, but $min_runsc or later is needed"
fi

runtime=$(gvisor_runtime_name)
wrapper=$(gvisor_runtime_path)
loopback_runtime=$(gvisor_loopback_runtime_name)
loopback_wrapper=$(gvisor_loopback_runtime_path)

# One executable per runtime that both engines run, with the flags these machines need: podman 4.3 has no per-runtime
# flags, and Docker's runtimeArgs would be Docker's alone.
#   --network=host  gVisor's own network stack cannot take over a container's interfaces here ("cannot run with network
#                   enabled in root network namespace"); the sandbox then uses the host kernel's stack in the container's
#                   own network namespace, which still isolates it (and the network guard's rules still apply)
#   --oci-seccomp   enforce the container's seccomp profile (Airlock's) inside the sandbox: without it runsc ignores it,
#                   and a setuid bit set inside reaches a bind-mounted host file
#   --platform=ptrace  the KVM platform hangs here (/dev/kvm is PVM)
# In a user namespace (rootless podman) runsc cannot create cgroups: --ignore-cgroups (rootless podman ignores limits
# on cgroup v1 with runc too).
# The loopback runtime is for sandboxes with no interface but loopback (network none or allowlist): there the host's
# stack leaves a new namespace's loopback down, so it runs gVisor's own stack with loopback only (--network=none), and
# --host-uds=open lets the relay inside connect to the egress policy point's socket mounted from the host.
write_wrapper() { # PATH RUNTIME FLAGS...
  local path=$1 name=$2
  shift 2
  write_if_changed "$path" '#!/bin/sh
# Written by airlock scripts/setup-gvisor.sh: gVisor'"'"'s runsc as the runtime '"$name"' on podman and Docker.
set -- '"$*"' "$@"
read -r _ _ count </proc/self/uid_map
[ "$count" = 4294967295 ] || set -- --ignore-cgroups "$@"
exec /usr/bin/runsc "$@"'
  chmod 755 "$path"
}
write_wrapper "$wrapper" "$runtime" --platform=ptrace --network=host --oci-seccomp
write_wrapper "$loopback_wrapper" "$loopback_runtime" --platform=ptrace --network=none --host-uds=open --oci-seccomp

# podman: a drop-in read by rootful podman and by every user's rootless podman (podman 4.3 reads containers.conf.d).
podman_conf=/etc/containers/containers.conf.d/airlock-gvisor.conf
write_if_changed "$podman_conf" "# Written by airlock scripts/setup-gvisor.sh
[engine.runtimes]
$runtime = [\"$wrapper\"]
$loopback_runtime = [\"$loopback_wrapper\"]"

# A podman service reads its runtimes when it starts (SIGHUP reloads the file, not the runtimes it runs containers
# with: starting one then fails with "runtime airlock-runsc is missing"), so the one setup-engines.sh keeps is restarted
# when it started before the registration was written; its containers keep running (conmon holds them). Services airlock
# starts for itself stop after 10 idle minutes and read it when they start again.
podman_socket=$(podman_socket)
pid=$(ss -xlpn 2>/dev/null | awk -v s="$podman_socket" '$5 == s' | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = podman ] &&
  [ $(($(date +%s) - $(ps -o etimes= -p "$pid"))) -le "$(stat -c %Y "$podman_conf")" ]; then
  log "restarting the podman service on $podman_socket (pid $pid) so that it knows $runtime"
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$podman_socket"
  ensure_podman_service
fi

# Docker: merged into daemon.json with whatever else is there; SIGHUP makes dockerd reload its runtimes.
docker_conf=/etc/docker/daemon.json
mkdir -p /etc/docker
current=$(cat "$docker_conf" 2>/dev/null || true)
[ -n "$current" ] || current='{}'
merged=$(printf '%s' "$current" | jq --arg name "$runtime" --arg path "$wrapper" --arg lname "$loopback_runtime" --arg lpath "$loopback_wrapper" \
  '.runtimes[$name] = {path: $path} | .runtimes[$lname] = {path: $lpath}') ||
  die "$docker_conf is not valid JSON; fix it (or move it away) and run this again"
if [ "$merged" != "$current" ]; then
  printf '%s\n' "$merged" >"$docker_conf"
  log "registered $runtime and $loopback_runtime in $docker_conf"
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    kill -HUP "$pid"
    log "dockerd reloaded its configuration"
  fi
fi
log "gVisor ready: runtimes $runtime and $loopback_runtime ($(runsc --version 2>/dev/null | head -n 1))"
