#!/usr/bin/env bash
# Several simulated "physical hosts" on this machine for migration and consolidation tests:
# N independent privileged libvirtd instances, each in its own network namespace (a veth into
# the private bridge vfbr0, 10.77.0.0/24, which exists only inside this machine and has no
# route out), its own mount namespace (per-host libvirt dirs under $BASE/hN) and UTS namespace
# (hostname vfhostN), and its own host UUID. Live migration between them really moves QEMU
# guests.
#   scripts/lvhosts.sh up [N=3]      start (idempotent)
#   scripts/lvhosts.sh down [N=3]    destroy their guests, stop, remove
#   scripts/lvhosts.sh uris [N=3]    print one URI per line
# Host n: qemu+tcp://10.77.0.1n/system (what the hosts use to reach each other), also reachable
# from here as qemu+unix:///system?socket=$BASE/hn/run/libvirt-sock.
# LVHOST_MEM_MIB="8192 8192 8192" makes host n *report* that much RAM (capacity tests).
set -euo pipefail
BASE=${VIRTFLEET_LVHOSTS_DIR:-/run/virtfleet-lvhosts}
CMD=${1:-up}; COUNT=${2:-3}
BR=vfbr0; NET=10.77.0

# Running, and not a zombie waiting to be reaped.
alive() {
  local f=$BASE/h$1/libvirtd.pid
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$(cat "$f")/status" 2>/dev/null
}

up_host() {
  local n=$1 d=$BASE/h$1 ip=$NET.1$1
  if alive "$n"; then echo "host $n: already up"; return; fi
  ip netns del "vfh$n" 2>/dev/null || true
  mkdir -p "$d"/{etc,run,lib,log,cache} "$d"/log/{qemu,lxc}
  cat > "$d/etc/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
listen_addr = "$ip"
auth_tcp = "none"
host_uuid = "8c6b6a1e-0000-4000-8000-00000000000$n"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  cat > "$d/etc/qemu.conf" <<CONF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
stdio_handler = "file"
# incoming migration data: the source connects to this host's own address
migration_host = "$ip"
# all hosts share one cgroupfs; per-guest scopes would collide when a guest migrates
cgroup_controllers = [ ]
CONF
  echo 'security_driver = "none"' > "$d/etc/lxc.conf"
  # name resolution without DNS (libvirt canonicalises its hostname)
  { echo "127.0.0.1 localhost"; for i in $(seq "$COUNT"); do echo "$NET.1$i vfhost$i"; done; } > "$d/hosts"
  local fake=true mem
  mem=$(echo "${LVHOST_MEM_MIB:-}" | awk -v n="$n" '{print $n}')
  if [ -n "$mem" ]; then
    local kib=$((mem*1024)) free=$((mem*1024*3/4))
    sed -e "s/^MemTotal:.*/MemTotal:       $kib kB/" -e "s/^MemFree:.*/MemFree:        $free kB/" \
        -e "s/^MemAvailable:.*/MemAvailable:   $free kB/" /proc/meminfo > "$d/meminfo"
    sed -e "s/MemTotal:.*/MemTotal:       $kib kB/" -e "s/MemFree:.*/MemFree:        $free kB/" \
        /sys/devices/system/node/node0/meminfo > "$d/node0-meminfo"
    fake="mount --bind $d/meminfo /proc/meminfo; mount --bind $d/node0-meminfo /sys/devices/system/node/node0/meminfo"
  fi
  ip netns add "vfh$n"
  ip link add "vfh$n-br" type veth peer name eth0 netns "vfh$n"
  ip link set "vfh$n-br" master "$BR" up
  # A fixed MAC per host: a restarted host keeps it, so neighbours' ARP entries stay valid.
  ip -n "vfh$n" link set eth0 address "02:77:00:00:00:1$n"
  ip -n "vfh$n" addr add "$ip/24" dev eth0
  ip -n "vfh$n" link set lo up
  ip -n "vfh$n" link set eth0 up
  # libvirtd -d forks and keeps the namespaces alive
  nsenter --net="/run/netns/vfh$n" -- unshare --mount --uts --propagation private -- sh -ec "
    hostname vfhost$n
    mount --bind $d/etc   /etc/libvirt
    mount --bind $d/run   /run/libvirt
    mount --bind $d/lib   /var/lib/libvirt
    mount --bind $d/log   /var/log/libvirt
    mount --bind $d/cache /var/cache/libvirt
    mount --bind $d/hosts /etc/hosts
    $fake
    exec libvirtd -d --listen --pid-file $d/libvirtd.pid"
  for _ in $(seq 100); do virsh -c "qemu+unix:///system?socket=$d/run/libvirt-sock" version >/dev/null 2>&1 && break; sleep 0.2; done
  virsh -c "qemu+unix:///system?socket=$d/run/libvirt-sock" version >/dev/null || { echo "host $n did not come up" >&2; tail -5 "$d/log/libvirtd.log" >&2; exit 1; }
  echo "host $n: up (pid $(cat "$d/libvirtd.pid")) qemu+tcp://$ip/system"
}

down_host() {
  local n=$1 d=$BASE/h$1
  local u="qemu+unix:///system?socket=$d/run/libvirt-sock"
  if [ -S "$d/run/libvirt-sock" ]; then
    for dom in $(virsh -c "$u" list --name 2>/dev/null); do virsh -c "$u" destroy "$dom" >/dev/null 2>&1 || true; done
    for dom in $(virsh -c "$u" list --all --name 2>/dev/null); do virsh -c "$u" undefine "$dom" >/dev/null 2>&1 || true; done
  fi
  for pf in "$d"/run/qemu/*.pid; do [ -f "$pf" ] && kill "$(cat "$pf")" 2>/dev/null || true; done
  if [ -f "$d/libvirtd.pid" ]; then
    local p; p=$(cat "$d/libvirtd.pid")
    kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  fi
  ip netns del "vfh$n" 2>/dev/null || true
  rm -rf "$d"
}

case $CMD in
  up)
    ip link add "$BR" type bridge 2>/dev/null || true
    ip addr replace "$NET.1/24" dev "$BR"
    ip link set "$BR" up
    for n in $(seq "$COUNT"); do up_host "$n"; done ;;
  down)
    for n in $(seq "$COUNT"); do down_host "$n"; done
    ip link del "$BR" 2>/dev/null || true ;;
  uris)
    for n in $(seq "$COUNT"); do echo "qemu+tcp://$NET.1$n/system"; done ;;
  *) echo "usage: $0 up|down|uris [N]" >&2; exit 2 ;;
esac
