#!/usr/bin/env bash
# A private, privileged libvirtd (QEMU + LXC drivers) for virtfleet's real-libvirt tests.
# It keeps its config, sockets and state under $VIRTFLEET_LIBVIRTD_DIR (default
# /run/virtfleet-libvirtd), so it never touches /etc/libvirt or a system libvirtd.
#   scripts/libvirtd.sh up      start it (idempotent); prints the URIs
#   scripts/libvirtd.sh down    destroy its guests and stop it
#   scripts/libvirtd.sh uri     print the qemu URI
# Connect with qemu+unix:///system?socket=$DIR/run/libvirt-sock (lxc+unix:// likewise).
set -euo pipefail
DIR=${VIRTFLEET_LIBVIRTD_DIR:-/run/virtfleet-libvirtd}
SOCK=$DIR/run/libvirt-sock
QEMU_URI="qemu+unix:///system?socket=$SOCK"
LXC_URI="lxc+unix:///system?socket=$SOCK"
PIDFILE=$DIR/libvirtd.pid

# Running, and not a zombie: killed daemons may linger unreaped where PID 1 does not reap.
running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$(cat "$PIDFILE")/status" 2>/dev/null
}

up() {
  if running && virsh -c "$QEMU_URI" version >/dev/null 2>&1; then
    echo "libvirtd already running (pid $(cat "$PIDFILE")): $QEMU_URI"; return
  fi
  # The QEMU driver resolves its compiled-in user/group (libvirt-qemu, kvm) at start-up even
  # when qemu.conf says root: they must exist.
  getent group kvm >/dev/null || groupadd -r kvm
  getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
  getent passwd libvirt-qemu >/dev/null || useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
  mkdir -p "$DIR"/{etc,run,lib,log,cache} "$DIR"/log/{qemu,lxc}
  # No DAC/SELinux/AppArmor relabelling and no virtlogd: this is a throwaway test daemon.
  cat > "$DIR/etc/qemu.conf" <<'CONF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
stdio_handler = "file"
CONF
  echo 'security_driver = "none"' > "$DIR/etc/lxc.conf"
  echo 'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"' > "$DIR/etc/libvirtd.conf"
  # Own mount namespace: libvirt's usual paths are bind-mounted from $DIR, and the hybrid
  # cgroup2 mount /sys/fs/cgroup/unified is hidden — with it visible, LXC start fails with
  # "Unable to create directory /sys/fs/cgroup/unified". QEMU is unaffected.
  unshare --mount --propagation private -- sh -ec "
    if grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts; then umount /sys/fs/cgroup/unified; fi
    mount --bind '$DIR/etc' /etc/libvirt 2>/dev/null || { mkdir -p /etc/libvirt && mount --bind '$DIR/etc' /etc/libvirt; }
    mkdir -p /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt
    mount --bind '$DIR/run' /run/libvirt
    mount --bind '$DIR/lib' /var/lib/libvirt
    mount --bind '$DIR/log' /var/log/libvirt
    mount --bind '$DIR/cache' /var/cache/libvirt
    exec libvirtd -d --pid-file '$PIDFILE'"
  for _ in $(seq 150); do virsh -c "$QEMU_URI" version >/dev/null 2>&1 && break; sleep 0.2; done
  virsh -c "$QEMU_URI" version >/dev/null 2>&1 || { echo "libvirtd did not come up; log:" >&2; tail -20 "$DIR/log/libvirtd.log" >&2; exit 1; }
  echo "libvirtd up (pid $(cat "$PIDFILE")): $QEMU_URI  $LXC_URI"
}

down() {
  if running; then
    for uri in "$QEMU_URI" "$LXC_URI"; do
      for d in $(virsh -c "$uri" list --name 2>/dev/null); do virsh -c "$uri" destroy "$d" >/dev/null 2>&1 || true; done
      for d in $(virsh -c "$uri" list --all --name 2>/dev/null); do virsh -c "$uri" undefine "$d" >/dev/null 2>&1 || true; done
    done
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    for _ in $(seq 50); do running || break; sleep 0.1; done
  fi
  echo "libvirtd stopped"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  uri) echo "$QEMU_URI" ;;
  *) echo "usage: $0 up|down|uri" >&2; exit 2 ;;
esac
