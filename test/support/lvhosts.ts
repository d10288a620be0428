// The simulated physical hosts of scripts/lvhosts.sh (several libvirtd in network namespaces).
// scripts/test.sh starts five and exports their URIs: 1-3 for migration tests, 4-5 for consolidation.
export const LVHOST_URIS = (process.env.VIRTFLEET_TEST_LVHOSTS ?? [1, 2, 3, 4, 5].map((n) => `qemu+tcp://10.77.0.1${n}/system`).join(' '))
  .split(/\s+/)
  .filter(Boolean);
export const LVHOSTS_DIR = process.env.VIRTFLEET_LVHOSTS_DIR ?? '/run/virtfleet-lvhosts';
