// Input types for the domain-XML builders: one discriminated union over what a guest is, with
// the defaults spelled out where the builders apply them. Pure data, no libvirt knowledge.
import type { GuestType } from '../capabilities.js';

export type { GuestType };

/** Namespace of the metadata element by which a driver recognises domains virtfleet defined. */
export const VIRTFLEET_METADATA_NS = 'https://virtfleet.dev/xmlns/instance/1';
export const VIRTFLEET_METADATA_PREFIX = 'vf';

export const HVM_DEFAULTS = {
  arch: 'x86_64',
  machine: 'pc',
  emulator: '/usr/bin/qemu-system-x86_64',
} as const;

export const XEN_HVM_DEFAULTS = {
  loader: '/usr/lib/xen-4.17/boot/hvmloader',
} as const;

export type DiskFormat = 'raw' | 'qcow2';
export type DiskBus = 'virtio' | 'ide' | 'sata' | 'xen';
export type BootDevice = 'hd' | 'cdrom' | 'network';

export interface DiskSpec<Bus extends DiskBus = DiskBus> {
  /** Absolute path of an image file on the host. */
  path: string;
  format: DiskFormat;
  bus: Bus;
  readonly?: boolean;
  /** Target device name; assigned in order per bus (vda, vdb… / hda… / sda… / xvda…) when absent. */
  dev?: string;
}

export type NicModel = 'virtio' | 'e1000' | 'e1000e' | 'rtl8139' | 'netfront';

export interface NetworkSpec<Model extends NicModel = NicModel> {
  /** 'bridge': a host bridge by name; 'network': a libvirt virtual network by name. */
  kind: 'bridge' | 'network';
  source: string;
  /** Defaults: virtio (hvm), netfront (Xen PV/PVH), e1000 (Xen HVM). */
  model?: Model;
  /** Lower-case unicast MAC; libvirt generates one when absent. */
  mac?: string;
}

/** Direct kernel boot: the host supplies kernel, initrd and command line. */
export interface KernelBoot {
  kernel: string;
  initrd?: string;
  cmdline?: string;
}

interface CommonSpec {
  /** libvirt domain name. */
  name: string;
  /** libvirt domain UUID, canonical lower-case form. */
  uuid: string;
  /** virtfleet's instance id, written into the domain metadata. */
  instanceId: string;
  vcpus: number;
  memoryMiB: number;
  description?: string;
  labels?: Record<string, string>;
}

/** QEMU guest: KVM where the host has /dev/kvm, QEMU TCG otherwise. */
export interface HvmSpec extends CommonSpec {
  guestType: 'hvm';
  domainType: 'kvm' | 'qemu';
  /** Default 'x86_64'. */
  arch?: 'x86_64' | 'i686';
  /** Default 'pc'. */
  machine?: string;
  /** Default '/usr/bin/qemu-system-x86_64'. */
  emulator?: string;
  kernelBoot?: KernelBoot;
  /** Firmware boot device when there is no kernelBoot; default 'hd'. */
  bootDevice?: BootDevice;
  disks: DiskSpec<'virtio' | 'ide' | 'sata'>[];
  networks: NetworkSpec<'virtio' | 'e1000' | 'e1000e' | 'rtl8139'>[];
  /** The serial console is always a pty. */
  console: 'pty';
  /** VNC on 127.0.0.1 with an automatic port; never on a public address. */
  vnc?: boolean;
}

export type XenPvBoot = ({ kind: 'kernel' } & KernelBoot) | { kind: 'bootloader'; bootloader: string };

export interface XenPvSpec extends CommonSpec {
  guestType: 'xen-pv';
  boot: XenPvBoot;
  disks: DiskSpec<'xen'>[];
  networks: NetworkSpec<'netfront'>[];
}

export interface XenPvhSpec extends CommonSpec {
  guestType: 'xen-pvh';
  boot: KernelBoot;
  disks: DiskSpec<'xen'>[];
  networks: NetworkSpec<'netfront'>[];
}

export interface XenHvmSpec extends CommonSpec {
  guestType: 'xen-hvm';
  /** Default '/usr/lib/xen-4.17/boot/hvmloader'. */
  loader?: string;
  /** Device model; libxl picks its own when absent. */
  emulator?: string;
  /** Default 'hd'. */
  bootDevice?: BootDevice;
  disks: DiskSpec<'ide' | 'xen'>[];
  networks: NetworkSpec<'e1000' | 'rtl8139' | 'netfront'>[];
  vnc?: boolean;
}

export interface BindMount {
  /** Host directory. */
  source: string;
  /** Directory inside the container; not '/' (that is `rootfs`). */
  target: string;
  readonly?: boolean;
}

export interface ContainerLimits {
  memoryHardLimitMiB?: number;
  memorySoftLimitMiB?: number;
  /** cgroup cpu shares (relative weight), 2..262144. */
  cpuShares?: number;
}

/** LXC application container: libvirt runs `init` with `initArgs` in fresh namespaces. */
export interface ContainerSpec extends CommonSpec {
  guestType: 'container';
  init: string;
  initArgs?: string[];
  env?: Record<string, string>;
  /** Host directory mounted as the container's '/'; the host root is shared when absent. */
  rootfs?: string;
  mounts?: BindMount[];
  limits?: ContainerLimits;
  networks?: Omit<NetworkSpec, 'model'>[];
}

export type DomainSpec = HvmSpec | XenPvSpec | XenPvhSpec | XenHvmSpec | ContainerSpec;

/** libvirt domain types virtfleet reads back (`test` is libvirt's in-process test driver). */
export type LibvirtDomainType = 'kvm' | 'qemu' | 'xen' | 'lxc' | 'test';

export interface ParsedDomain {
  name: string;
  uuid: string;
  domainType: LibvirtDomainType;
  guestType: GuestType;
  /** `<memory>` (maximum) converted from whatever unit libvirt wrote. */
  memoryMiB: number;
  vcpus: number;
  description: string | null;
  /** null when the domain has no virtfleet metadata: it was not defined by us. */
  instanceId: string | null;
  labels: Record<string, string>;
}
