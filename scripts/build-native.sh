#!/usr/bin/env bash
# Builds the native libvirt addons against Debian's libvirt-dev and this machine's Node headers
# (npm 11 does not run dependencies' install scripts unless approved, and the prebuilt download
# of @unraid/libvirt is not reachable here). Skips a build whose output is newer than its sources.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
NODE_GYP=(node "$REPO/node_modules/node-gyp/bin/node-gyp.js")
NODEDIR=$(dirname "$(dirname "$(command -v node)")")

# A stamp written after OUR build: an output left by anything else (or a half-finished build)
# is rebuilt once, then only when a source is newer than the stamp.
build_if_stale() { # <dir> <sources...>
  local dir=$1; shift
  local stamp=$dir/build/.virtfleet-built
  if [ -f "$stamp" ] && [ -z "$(find "$@" -newer "$stamp" 2>/dev/null | head -1)" ]; then return; fi
  echo "building $dir"
  (cd "$dir" && "${NODE_GYP[@]}" rebuild --nodedir="$NODEDIR" --loglevel=warn >/dev/null)
  touch "$stamp"
}

build_if_stale node_modules/@unraid/libvirt node_modules/@unraid/libvirt/src node_modules/@unraid/libvirt/binding.gyp
if [ -f src/hypervisor/libvirt/native/binding.gyp ]; then
  build_if_stale src/hypervisor/libvirt/native src/hypervisor/libvirt/native/binding.gyp src/hypervisor/libvirt/native/*.cc
fi
