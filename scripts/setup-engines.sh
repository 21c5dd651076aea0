#!/usr/bin/env bash
# Installs podman and Docker from Debian, writes the podman config these VMs need, and starts dockerd
# when it is not running. Idempotent: a second run installs nothing and restarts nothing.
source "$(dirname "$0")/lib.sh"

apt_install podman runc crun conmon uidmap slirp4netns catatonit iptables netavark aardvark-dns \
  mmdebstrap docker.io containerd tmux ca-certificates

# Rootful podman fails on these VMs without this: no CAP_SYS_RESOURCE for the default ulimits, and
# crun trips over the hybrid cgroup hierarchy. runc copes with both.
write_if_changed /etc/containers/containers.conf '# Written by airlock scripts/setup-engines.sh
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"'

# Rootless podman needs the tun device for slirp4netns/pasta.
[ -c /dev/net/tun ] && chmod 666 /dev/net/tun 2>/dev/null || true

# The isolation level gvisor: runsc, registered with both engines before they start (or reloaded into them).
bash "$(dirname "$0")/setup-gvisor.sh"

docker_up() { docker -H unix:///var/run/docker.sock version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if ! docker_up; then
  need_root
  log "starting dockerd"
  mkdir -p /var/log/airlock
  # Started from /: a daemon keeps the directory it was started in, and conmon and runc fail ("write child: broken
  # pipe") once that directory is deleted, e.g. the checkout this script ran from.
  (cd / && nohup setsid dockerd --host unix:///var/run/docker.sock >/var/log/airlock/dockerd.log 2>&1 &)
  for _ in $(seq 1 100); do docker_up && break; sleep 0.1; done
  docker_up || die "dockerd did not come up; see /var/log/airlock/dockerd.log"
fi

# A rootful podman API socket that survives this script, so Airlock and the tests find it at the usual path.
ensure_podman_service
log "engines ready: podman $(podman --version | awk '{print $3}'), docker $(docker -H unix:///var/run/docker.sock version --format '{{.Server.Version}}')"
