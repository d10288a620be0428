#!/usr/bin/env bash
# Assembles the files the API needs at run time from a built checkout (after install.sh and
# `nest build`) into DEST, laid out exactly as the container image runs them. The Dockerfile's
# build stage runs this and the runtime stage copies DEST whole, and test/runtime-image.e2e-spec.ts
# boots `node dist/main.js` from a DEST made by this same script: what the test boots is what
# the image holds.
#   scripts/runtime-files.sh DEST [--link]
# --link hard-links node_modules instead of copying it (same file system; for tests). Either way
# DEST's node_modules is then pruned to production dependencies, as in the image.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=${1:?usage: scripts/runtime-files.sh DEST [--link]}
LINK=0; [ "${2:-}" = "--link" ] && LINK=1
ADDON=src/hypervisor/libvirt/native/build/Release/virtfleet_libvirt.node
for need in dist/main.js "$ADDON" node_modules/@unraid/libvirt/build/Release/libvirt.node prisma/offline-migrate/node_modules; do
  [ -e "$need" ] || { echo "runtime-files: $need is missing (run scripts/install.sh and nest build first)" >&2; exit 1; }
done
mkdir -p "$DEST"
cp package.json package-lock.json "$DEST/"
# console/: the web console's static files, served at /console.
cp -a dist prisma console "$DEST/"
# The addon is loaded from the path native-libvirt.ts computes relative to its own file
# (dist/hypervisor/libvirt/ -> <root>/src/hypervisor/libvirt/native/build/Release).
mkdir -p "$DEST/$(dirname "$ADDON")"
cp "$ADDON" "$DEST/$ADDON"
mkdir -p "$DEST/node_modules"
# `node_modules/.`: the directory's contents even where node_modules itself is a symlink.
if [ "$LINK" = 1 ]; then
  cp -al node_modules/. "$DEST/node_modules/"
  # npm rewrites this file in place: give DEST its own copy, never a link to ours.
  rm -f "$DEST/node_modules/.package-lock.json"
  cp node_modules/.package-lock.json "$DEST/node_modules/"
else
  cp -a node_modules/. "$DEST/node_modules/"
fi
(cd "$DEST" && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund --loglevel=error >/dev/null)
