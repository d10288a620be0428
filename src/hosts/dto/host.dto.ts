import { HostState } from '../../generated/prisma/enums.js';

export class HostDto {
  /** Host id (UUID). */
  id!: string;
  /** Unique operator-facing name. @example "rack1-node07" */
  name!: string;
  /** libvirt connection URI. @example "qemu+tcp://10.0.0.7/system" */
  uri!: string;
  state!: HostState;
  /** Driver managing this host: qemu-kvm, xen or lxc. */
  driverKind!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

export class HostListDto {
  items!: HostDto[];
}
