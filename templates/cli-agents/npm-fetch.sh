#!/bin/sh
# Downloads one package's tarball from the npm registry and checks it against the registry's sha512 integrity.
# Used to fetch Node itself without installing Debian's (old) nodejs and npm first.
# Usage: npm-fetch.sh NAME VERSION OUT.tgz   (NPM_REGISTRY overrides https://registry.npmjs.org)
set -eu
name=$1 version=$2 out=$3
registry=${NPM_REGISTRY:-https://registry.npmjs.org}
meta=$(curl -fsSL "$registry/$name/$version") || { echo "npm-fetch: $name@$version: not found on $registry" >&2; exit 1; }
integrity=$(printf '%s' "$meta" | grep -o '"integrity" *: *"sha512-[^"]*"' | head -n 1 | sed 's/.*"sha512-//; s/"$//')
tarball=$(printf '%s' "$meta" | grep -o '"tarball" *: *"[^"]*"' | head -n 1 | sed 's/.*: *"//; s/"$//')
if [ -z "$integrity" ] || [ -z "$tarball" ]; then
  echo "npm-fetch: $name@$version: the registry's answer has no tarball or sha512 integrity" >&2
  exit 1
fi
curl -fsSL -o "$out" "$tarball"
expected=$(printf '%s' "$integrity" | base64 -d | od -An -v -tx1 | tr -d ' \n')
actual=$(sha512sum "$out" | cut -d ' ' -f 1)
if [ "$expected" != "$actual" ]; then
  echo "npm-fetch: $name@$version: sha512 of $tarball does not match the registry's integrity" >&2
  exit 1
fi
