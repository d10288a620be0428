// Which physical machine a libvirt connection reaches, from what libvirt says about it, so that
// one machine is one host however it is reached (qemu+tcp, its unix socket, ssh, another
// driver of the same daemon). Pure.

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** Names every unconfigured machine answers to: they say nothing about which one it is. */
const ANONYMOUS_HOSTNAMES = new Set(['localhost', 'localhost.localdomain', 'localhost6', 'localhost6.localdomain6', '']);

export interface MachineClues {
  /** The URI that reached it (as virtfleet built it). */
  uri: string;
  /** libvirt's test driver: a simulated machine living inside this process. */
  simulated: boolean;
  /** <host><uuid> of the capabilities XML; null when libvirt reports none. */
  hostUuid: string | null;
  /** virConnectGetHostname. */
  hostname: string;
  /** Test driver with a node file: the file's real path (symlinks resolved); absent otherwise. */
  nodeFile?: string;
}

/**
 * The machine's identity:
 * - `uuid:<host uuid>`: what libvirt reports (host_uuid of libvirtd.conf, else the SMBIOS
 *   system UUID; libvirt replaces an all-zero or all-ones SMBIOS UUID by a random one);
 * - `hostname:<name>` when libvirt reports no UUID and the name is not an anonymous one;
 * - for libvirt's test driver, which reports no UUID and the API process's own hostname for
 *   every node file: `simulated:test://<real path>` per node file (a symlink to it is the same
 *   host), `simulated:<uri>` for test:///default (each `suite` tag a host of its own, as tests
 *   register it);
 * - `uri:<uri>` when nothing else identifies it (then only the same URI is the same machine).
 */
export function machineIdOf(clues: MachineClues): string {
  if (clues.simulated) return clues.nodeFile ? `simulated:test://${clues.nodeFile}` : `simulated:${clues.uri}`;
  const uuid = clues.hostUuid?.trim().toLowerCase() ?? '';
  if (UUID.test(uuid) && !/^[0-]+$/.test(uuid) && !/^[f-]+$/.test(uuid)) {
    return `uuid:${uuid.replace(/-/g, '').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`;
  }
  const hostname = clues.hostname.trim().toLowerCase().replace(/\.$/, '');
  if (!ANONYMOUS_HOSTNAMES.has(hostname)) return `hostname:${hostname}`;
  return `uri:${clues.uri}`;
}
