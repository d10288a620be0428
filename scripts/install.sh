#!/usr/bin/env bash
# Installs what virtfleet needs on a Debian 12 machine, and skips what is already there.
#   scripts/install.sh             API: libvirt client libraries, npm packages, native builds, Prisma client
#   scripts/install.sh --test      also libvirtd + QEMU + LXC drivers and the XML schema validator
# Runs as root, or through sudo when it is available.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_TEST_DEPS=0
[ "${1:-}" = "--test" ] && WITH_TEST_DEPS=1
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
step() { printf '[install %4ss] %s\n' "$SECONDS" "$*"; }

# 1. Debian packages. libvirt-dev + pkg-config + a C++ toolchain build the two native addons;
#    libvirt-clients brings virsh and virt-xml-validate, which runs xmllint from libxml2-utils
#    (only a Recommends of libvirt-clients, so --no-install-recommends leaves it out). No
#    libvirt-daemon-system: it drags in polkit, dnsmasq and init glue; scripts/libvirtd.sh
#    starts a private daemon instead. Tests also drive the web console in Debian's headless
#    chromium (test/console.e2e-spec.ts, over the DevTools protocol: no browser download).
PACKAGES=(libvirt-dev libvirt-clients pkg-config g++ make python3 iproute2)
[ "$WITH_TEST_DEPS" = 1 ] && PACKAGES+=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-driver-lxc qemu-system-x86 util-linux libxml2-utils chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. npm packages, when the lockfile changed since the last install. Dependencies' own install
#    scripts are not run: they would download prebuilt binaries and engines this machine cannot
#    reach (and npm 11 runs or skips them depending on its approval state). The two native
#    addons and the Prisma client are built explicitly below instead.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# 3. Native addons (npm 11 does not run install scripts it has not been told to trust).
step "native addons"
bash scripts/build-native.sh

# 4. Prisma client (generated into src/generated/prisma, git-ignored). Any existing file as the
#    engine path stops the CLI from downloading a native engine that `generate` does not need.
if [ ! -f src/generated/prisma/client.ts ] || [ prisma/schema.prisma -nt src/generated/prisma/client.ts ]; then
  step "prisma generate"
  PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 \
    npx --no-install prisma generate >/dev/null
fi
step "done"
