// The simulated physical hosts of scripts/lvhosts.sh (several libvirtd in network namespaces).
// scripts/test.sh starts three and exports their URIs.
export const LVHOST_URIS = (process.env.VIRTFLEET_TEST_LVHOSTS ?? 'qemu+tcp://10.77.0.11/system qemu+tcp://10.77.0.12/system qemu+tcp://10.77.0.13/system').split(/\s+/).filter(Boolean);
export const LVHOSTS_DIR = process.env.VIRTFLEET_LVHOSTS_DIR ?? '/run/virtfleet-lvhosts';
