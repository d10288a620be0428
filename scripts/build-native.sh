#!/usr/bin/env bash
# Builds the two native libvirt addons against Debian's libvirt-dev and this machine's own Node
# headers (node-gyp cannot download headers here):
#   - @unraid/libvirt: npm 11 does not run its install script unless approved, and its prebuilt
#     download is not reachable, so it is compiled in place;
#   - virtfleet's own addon, src/hypervisor/libvirt/native (migration, events, state, stats...).
# Idempotent: skips a build whose stamp is newer than all of its sources.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
NODE_GYP=(node "$REPO/node_modules/node-gyp/bin/node-gyp.js")
# The prefix of the running node (/usr on Debian) holds its headers in include/node.
NODEDIR=$(dirname "$(dirname "$(command -v node)")")
[ -f "$NODEDIR/include/node/node_api.h" ] || { echo "no Node headers under $NODEDIR/include/node" >&2; exit 1; }

# A stamp written after OUR build succeeded and loaded: an output left by anything else (or a
# half-finished build) is rebuilt once, then only when a source is newer than the stamp.
build_if_stale() { # <package dir> <output .node, relative to it> <sources, relative to it...>
  local dir=$1 out=$2
  shift 2
  local stamp=$dir/build/.virtfleet-built sources=()
  for source in "$@"; do sources+=("$dir/$source"); done
  if [ -f "$stamp" ] && [ -f "$dir/$out" ] && [ -z "$(find "${sources[@]}" -newer "$stamp" -print -quit)" ]; then
    echo "up to date: $dir/$out"
    return
  fi
  echo "building $dir/$out"
  (cd "$dir" && "${NODE_GYP[@]}" rebuild --nodedir="$NODEDIR" --loglevel=warn >/dev/null)
  # A link error (e.g. a libvirt symbol missing at run time) only shows when the addon is loaded.
  node -e 'require(process.argv[1])' "$REPO/$dir/$out"
  touch "$stamp"
}

build_if_stale node_modules/@unraid/libvirt build/Release/libvirt.node binding.gyp src
build_if_stale src/hypervisor/libvirt/native build/Release/virtfleet_libvirt.node binding.gyp virtfleet_libvirt.cc
