#!/bin/sh
# Creates the sandbox account `airlock` with the host user's uid and gid (or reuses an existing uid/gid), and a home
# seeded from /etc/skel. For a host user of uid 0 the sandbox stays root (still with every capability dropped).
set -eu
uid=$1 gid=$2
if [ "$uid" != 0 ]; then
  getent group "$gid" >/dev/null || echo "airlock:x:$gid:" >>/etc/group
  if getent passwd "$uid" >/dev/null; then
    # The image already uses this uid (e.g. 1000 in some bases): rename that account to airlock.
    old=$(getent passwd "$uid" | cut -d: -f1)
    sed -i "s#^$old:[^:]*:$uid:[^:]*:[^:]*:[^:]*:[^:]*\$#airlock:x:$uid:$gid:Airlock:/home/airlock:/bin/bash#" /etc/passwd
  else
    echo "airlock:x:$uid:$gid:Airlock:/home/airlock:/bin/bash" >>/etc/passwd
  fi
  grep -q '^airlock:' /etc/shadow 2>/dev/null || echo 'airlock:!:19000::::::' >>/etc/shadow
fi
mkdir -p /home/airlock
cp -a /etc/skel/. /home/airlock/
chown -R "$uid:$gid" /home/airlock
