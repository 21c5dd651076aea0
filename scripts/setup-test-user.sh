#!/usr/bin/env bash
# Creates the unprivileged user the launcher's integration tests run airlock as (files made in a sandbox must belong
# to the invoking user, and rootless podman must work for a user who is not root), and prepares it the way setup.sh
# prepares a real user (scripts/prepare-user.sh). Idempotent: a second run changes nothing.
#   airlock-tester (uid 1500): a home, the docker group, subordinate ids, a runtime dir, overlay storage, and the base
#   image imported into its own (rootless) podman storage.
source "$(dirname "$0")/lib.sh"
become_root "$0" "$@"

USER_NAME=airlock-tester
USER_ID=1500

if ! id -u "$USER_NAME" >/dev/null 2>&1; then
  log "creating user $USER_NAME (uid $USER_ID)"
  useradd --uid "$USER_ID" --create-home --shell /bin/bash "$USER_NAME"
fi

# The tests run airlock through runuser, which reads the groups afresh: no new login is needed for them.
bash "$(dirname "$0")/prepare-user.sh" --user "$USER_NAME"
log "test user $USER_NAME ready (uid $USER_ID, rootless podman and docker)"
