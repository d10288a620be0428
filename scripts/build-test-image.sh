#!/usr/bin/env bash
# Builds a tiny bootable disk image offline from Debian packages, for the boot-from-disk tests:
# Debian's kernel (linux-image-amd64's .deb, fetched by apt and unpacked, never installed) and
# an initramfs of busybox-static whose init prints a marker line on the serial console, then idles.
# The disk is a FAT "superfloppy" with SYSLINUX (installed through mtools: no mount, no loop
# device), so SeaBIOS boots it from the disk itself. Output: .cache/test-image/boot.qcow2 (and
# boot.raw); cached, rebuilt only when missing.
#   Needs: qemu-utils busybox-static syslinux syslinux-common mtools dosfstools (install.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.cache/test-image
[ -f "$OUT/boot.qcow2" ] && { echo "$OUT/boot.qcow2"; exit 0; }
mkdir -p "$OUT/work"
WORK=$(mktemp -d "$PWD/$OUT/work/build.XXXX")
trap 'rm -rf "$WORK"' EXIT

# 1. The kernel: the package linux-image-amd64 depends on, downloaded (cached) and unpacked.
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if ! ls "$OUT"/"$KPKG"_*.deb >/dev/null 2>&1; then
  (cd "$OUT" && apt-get download "$KPKG" >/dev/null)
fi
dpkg-deb --fsys-tarfile "$OUT"/"$KPKG"_*.deb | tar -x -C "$WORK" --wildcards './boot/vmlinuz-*'
cp "$WORK"/boot/vmlinuz-* "$WORK/vmlinuz"

# 2. The initramfs: static busybox and an init that says it reached userspace.
mkdir -p "$WORK/initramfs"/{bin,dev,proc,sys}
cp /bin/busybox "$WORK/initramfs/bin/busybox"
for tool in sh mount echo cat sleep poweroff; do ln -s busybox "$WORK/initramfs/bin/$tool"; done
cat > "$WORK/initramfs/init" <<'INIT'
#!/bin/sh
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
echo "VIRTFLEET-BOOTED-FROM-DISK $(cat /proc/sys/kernel/random/boot_id)" > /dev/ttyS0
while true; do sleep 3600; done
INIT
chmod 755 "$WORK/initramfs/init"
(cd "$WORK/initramfs" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$WORK/initrd.gz")

# 3. The disk: FAT over the whole disk, SYSLINUX in its boot sector, kernel + initramfs + config.
SIZE_MIB=64
truncate -s ${SIZE_MIB}M "$WORK/boot.raw"
mkfs.fat -F 16 -n VFBOOT "$WORK/boot.raw" >/dev/null
syslinux --install "$WORK/boot.raw"
cat > "$WORK/syslinux.cfg" <<'CFG'
SERIAL 0 115200
DEFAULT vf
PROMPT 0
TIMEOUT 0
LABEL vf
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=ttyS0 loglevel=4 rdinit=/init
CFG
MTOOLS_SKIP_CHECK=1 mcopy -i "$WORK/boot.raw" "$WORK/vmlinuz" "$WORK/initrd.gz" "$WORK/syslinux.cfg" ::/
qemu-img convert -f raw -O qcow2 "$WORK/boot.raw" "$WORK/boot.qcow2"
mv "$WORK/boot.raw" "$OUT/boot.raw"
mv "$WORK/boot.qcow2" "$OUT/boot.qcow2"
echo "$OUT/boot.qcow2"
