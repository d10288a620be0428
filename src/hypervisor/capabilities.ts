// What each driver can do, declared up front. The API checks these before calling a driver
// (409/422 instead of "not implemented" from libvirt) and placement reads them as host traits,
// so a host that cannot live-migrate is never picked as a live-migration target.

export const DRIVER_KINDS = ['qemu-kvm', 'xen', 'lxc'] as const;
export type DriverKind = (typeof DRIVER_KINDS)[number];

/** Guest flavours a driver can build XML for and run. */
export const GUEST_TYPES = ['hvm', 'xen-pv', 'xen-pvh', 'xen-hvm', 'container'] as const;
export type GuestType = (typeof GUEST_TYPES)[number];

export enum Capability {
  LiveMigrate = 'live-migrate',
  ColdMigrate = 'cold-migrate',
  Suspend = 'suspend',
  Reboot = 'reboot',
  GracefulShutdown = 'graceful-shutdown',
  Stats = 'stats',
  ConsolePty = 'console-pty',
  ConsoleVnc = 'console-vnc',
}

export interface DriverCapabilities {
  kind: DriverKind;
  guestTypes: readonly GuestType[];
  capabilities: ReadonlySet<Capability>;
  /** Free-text caveats an operator should know (shown in the API). */
  notes: readonly string[];
}

const caps = (...c: Capability[]): ReadonlySet<Capability> => new Set(c);

export const DRIVER_CAPABILITIES: Readonly<Record<DriverKind, DriverCapabilities>> = {
  'qemu-kvm': {
    kind: 'qemu-kvm',
    guestTypes: ['hvm'],
    capabilities: caps(
      Capability.LiveMigrate,
      Capability.ColdMigrate,
      Capability.Suspend,
      Capability.Reboot,
      Capability.GracefulShutdown,
      Capability.Stats,
      Capability.ConsolePty,
      Capability.ConsoleVnc,
    ),
    notes: ['Domain type kvm where the host reports it, qemu (TCG) otherwise.'],
  },
  xen: {
    kind: 'xen',
    guestTypes: ['xen-pv', 'xen-pvh', 'xen-hvm'],
    capabilities: caps(
      Capability.LiveMigrate,
      Capability.ColdMigrate,
      Capability.Suspend,
      Capability.Reboot,
      Capability.GracefulShutdown,
      Capability.Stats,
      Capability.ConsolePty,
      Capability.ConsoleVnc,
    ),
    notes: ['No Xen dom0 exists in CI: exercised on libvirt test:///default with type=xen and schema-validated XML only.'],
  },
  lxc: {
    kind: 'lxc',
    guestTypes: ['container'],
    // libvirt's LXC driver has no migration at all; cold migration = stop, redefine elsewhere, start.
    capabilities: caps(Capability.ColdMigrate, Capability.Suspend, Capability.Reboot, Capability.GracefulShutdown, Capability.ConsolePty),
    notes: ['No live migration (libvirt LXC driver cannot migrate); no domstats.'],
  },
};

export function driverSupports(kind: DriverKind, capability: Capability): boolean {
  return DRIVER_CAPABILITIES[kind].capabilities.has(capability);
}

/** Host traits derived from capabilities, e.g. `driver:lxc`, `guest:xen-pv`, `cap:live-migrate`. */
export function capabilityTraits(kind: DriverKind): string[] {
  const d = DRIVER_CAPABILITIES[kind];
  return [`driver:${kind}`, ...d.guestTypes.map((g) => `guest:${g}`), ...[...d.capabilities].map((c) => `cap:${c}`)].sort();
}
