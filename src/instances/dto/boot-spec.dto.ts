// The OpenAPI shape of an instance's `boot`: one schema per guest type, published as a oneOf with
// `guestType` as discriminator, so generated clients type-check a Xen PV kernel boot or an LXC
// container. These classes only document; the authority on what is valid stays
// assertValidBoot (guest-spec.ts, BOOT_FIELDS) and validateDomainSpec (hypervisor/xml). The
// type assertions at the end keep each class field-for-field equal to the DomainSpec union, and
// test/boot-schema.e2e-spec.ts holds the published field lists against BOOT_FIELDS.
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type {
  BindMount,
  BootDevice,
  ContainerLimits,
  ContainerSpec,
  DiskFormat,
  DiskSpec,
  HvmSpec,
  KernelBoot,
  NetworkSpec,
  XenHvmSpec,
  XenPvSpec,
  XenPvhSpec,
} from '../../hypervisor/xml/domain-spec.js';
import { LIMITS } from '../../hypervisor/xml/validate-spec.js';

const BOOT_DEVICES: BootDevice[] = ['hd', 'cdrom', 'network'];
const DISK_FORMATS: DiskFormat[] = ['raw', 'qcow2'];
const NIC_KINDS: NetworkSpec['kind'][] = ['bridge', 'network'];

abstract class DiskBaseDto {
  /**
   * Absolute path of an image file on the host: a volume of one of the server's allowed storage
   * pools on the guest's host (422 naming the field otherwise). @example "/var/lib/virtfleet/images/web-1.qcow2"
   */
  path!: string;

  @ApiProperty({ enum: DISK_FORMATS })
  format!: DiskFormat;

  readonly?: boolean;

  /** Target device name (e.g. vdb); assigned in order per bus when absent. */
  @ApiPropertyOptional({ pattern: '^(vd|hd|sd|xvd)[a-z]{1,2}$' })
  dev?: string;
}

export class HvmDiskDto extends DiskBaseDto {
  @ApiProperty({ enum: ['virtio', 'ide', 'sata'] })
  bus!: 'virtio' | 'ide' | 'sata';
}

export class XenPvDiskDto extends DiskBaseDto {
  @ApiProperty({ enum: ['xen'] })
  bus!: 'xen';
}

export class XenHvmDiskDto extends DiskBaseDto {
  @ApiProperty({ enum: ['ide', 'xen'] })
  bus!: 'ide' | 'xen';
}

abstract class NicBaseDto {
  /** bridge: a host bridge by name; network: a libvirt virtual network by name. */
  @ApiProperty({ enum: NIC_KINDS })
  kind!: 'bridge' | 'network';

  /** Bridge or network name. @example "default" */
  source!: string;

  /** Lower-case unicast MAC; libvirt generates one when absent. @example "52:54:00:12:34:56" */
  @ApiPropertyOptional({ pattern: '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$' })
  mac?: string;
}

export class HvmNicDto extends NicBaseDto {
  /** Default virtio. */
  @ApiPropertyOptional({ enum: ['virtio', 'e1000', 'e1000e', 'rtl8139'] })
  model?: 'virtio' | 'e1000' | 'e1000e' | 'rtl8139';
}

export class XenPvNicDto extends NicBaseDto {
  @ApiPropertyOptional({ enum: ['netfront'] })
  model?: 'netfront';
}

export class XenHvmNicDto extends NicBaseDto {
  /** Default e1000. */
  @ApiPropertyOptional({ enum: ['e1000', 'rtl8139', 'netfront'] })
  model?: 'e1000' | 'rtl8139' | 'netfront';
}

export class ContainerNicDto extends NicBaseDto {}

/** Direct kernel boot: the host supplies kernel, initrd and command line. */
export class KernelBootDto {
  /** Absolute path of the kernel image on the host. @example "/var/lib/virtfleet/kernels/vmlinuz" */
  kernel!: string;
  initrd?: string;
  /** Kernel command line. @example "console=ttyS0 root=/dev/vda" */
  cmdline?: string;
}

export class XenPvKernelBootDto extends KernelBootDto {
  @ApiProperty({ enum: ['kernel'] })
  kind!: 'kernel';
}

export class XenPvBootloaderDto {
  @ApiProperty({ enum: ['bootloader'] })
  kind!: 'bootloader';

  /** Absolute path of the bootloader (e.g. pygrub) under /usr/bin, /usr/lib, /usr/libexec or /usr/local. @example "/usr/bin/pygrub" */
  bootloader!: string;
}

export class HvmBootDto {
  @ApiProperty({ enum: ['hvm'] })
  guestType!: 'hvm';

  /** Default x86_64. */
  @ApiPropertyOptional({ enum: ['x86_64', 'i686'] })
  arch?: 'x86_64' | 'i686';

  /** Machine type; default pc. @example "q35" */
  machine?: string;

  kernelBoot?: KernelBootDto;

  /** Firmware boot device when there is no kernelBoot; default hd. */
  @ApiPropertyOptional({ enum: BOOT_DEVICES })
  bootDevice?: BootDevice;

  @ApiPropertyOptional({ type: () => [HvmDiskDto], maxItems: LIMITS.maxDisks })
  disks?: HvmDiskDto[];
  @ApiPropertyOptional({ type: () => [HvmNicDto], maxItems: LIMITS.maxNetworks })
  networks?: HvmNicDto[];

  /** VNC on 127.0.0.1 with an automatic port. */
  vnc?: boolean;
}

export class XenPvBootDto {
  @ApiProperty({ enum: ['xen-pv'] })
  guestType!: 'xen-pv';

  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(XenPvKernelBootDto) }, { $ref: getSchemaPath(XenPvBootloaderDto) }],
    discriminator: {
      propertyName: 'kind',
      mapping: { kernel: getSchemaPath(XenPvKernelBootDto), bootloader: getSchemaPath(XenPvBootloaderDto) },
    },
  })
  boot!: XenPvKernelBootDto | XenPvBootloaderDto;

  @ApiPropertyOptional({ type: () => [XenPvDiskDto], maxItems: LIMITS.maxDisks })
  disks?: XenPvDiskDto[];
  @ApiPropertyOptional({ type: () => [XenPvNicDto], maxItems: LIMITS.maxNetworks })
  networks?: XenPvNicDto[];
}

export class XenPvhBootDto {
  @ApiProperty({ enum: ['xen-pvh'] })
  guestType!: 'xen-pvh';

  boot!: KernelBootDto;
  @ApiPropertyOptional({ type: () => [XenPvDiskDto], maxItems: LIMITS.maxDisks })
  disks?: XenPvDiskDto[];
  @ApiPropertyOptional({ type: () => [XenPvNicDto], maxItems: LIMITS.maxNetworks })
  networks?: XenPvNicDto[];
}

export class XenHvmBootDto {
  @ApiProperty({ enum: ['xen-hvm'] })
  guestType!: 'xen-hvm';

  /** Firmware loader under /usr/lib…; default /usr/lib/xen-4.17/boot/hvmloader. */
  loader?: string;

  @ApiPropertyOptional({ enum: BOOT_DEVICES })
  bootDevice?: BootDevice;

  @ApiPropertyOptional({ type: () => [XenHvmDiskDto], maxItems: LIMITS.maxDisks })
  disks?: XenHvmDiskDto[];
  @ApiPropertyOptional({ type: () => [XenHvmNicDto], maxItems: LIMITS.maxNetworks })
  networks?: XenHvmNicDto[];
  vnc?: boolean;
}

export class BindMountDto {
  /** Host directory (a volume of an allowed storage pool). */
  source!: string;
  /** Directory inside the container; not '/' (that is rootfs). @example "/data" */
  target!: string;
  readonly?: boolean;
}

export class ContainerLimitsDto {
  @ApiPropertyOptional({ type: 'integer', minimum: LIMITS.minContainerMemoryMiB, maximum: LIMITS.maxMemoryMiB })
  memoryHardLimitMiB?: number;
  /** At most memoryHardLimitMiB. */
  @ApiPropertyOptional({ type: 'integer', minimum: LIMITS.minContainerMemoryMiB, maximum: LIMITS.maxMemoryMiB })
  memorySoftLimitMiB?: number;
  /** cgroup cpu shares (relative weight). */
  @ApiPropertyOptional({ type: 'integer', minimum: LIMITS.minCpuShares, maximum: LIMITS.maxCpuShares })
  cpuShares?: number;
}

export class ContainerBootDto {
  @ApiProperty({ enum: ['container'] })
  guestType!: 'container';

  /** Absolute path of the program libvirt runs as the container's init. @example "/bin/sleep" */
  init!: string;

  @ApiPropertyOptional({ type: [String], maxItems: LIMITS.maxInitArgs, example: ['infinity'] })
  initArgs?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  env?: Record<string, string>;

  /** Host directory mounted as the container's '/'; the host root is shared when absent (if the server allows it). */
  rootfs?: string;

  mounts?: BindMountDto[];
  limits?: ContainerLimitsDto;
  @ApiPropertyOptional({ type: () => [ContainerNicDto], maxItems: LIMITS.maxNetworks })
  networks?: ContainerNicDto[];
}

export const BOOT_SPEC_DTOS = [HvmBootDto, XenPvBootDto, XenPvhBootDto, XenHvmBootDto, ContainerBootDto] as const;

export type BootSpecDto = HvmBootDto | XenPvBootDto | XenPvhBootDto | XenHvmBootDto | ContainerBootDto;

/** The `boot` property's schema: one of the guest types, told apart by `guestType`. */
export const BOOT_SPEC_SCHEMA = {
  oneOf: BOOT_SPEC_DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
  discriminator: {
    propertyName: 'guestType',
    mapping: {
      hvm: getSchemaPath(HvmBootDto),
      'xen-pv': getSchemaPath(XenPvBootDto),
      'xen-pvh': getSchemaPath(XenPvhBootDto),
      'xen-hvm': getSchemaPath(XenHvmBootDto),
      container: getSchemaPath(ContainerBootDto),
    },
  },
};

// Compile-time: each documented class has exactly the DomainSpec variant's client fields, with the
// same types (both directions), so the schema cannot drift from the union the builders take.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Plain<T> = { [K in keyof T]: T[K] };
type Client<S, K extends keyof S> = Plain<Pick<S, K>>;
const sameShape = <T extends true>(_proof?: T): void => undefined;
sameShape<Same<Plain<KernelBootDto>, KernelBoot>>();
sameShape<Same<Plain<BindMountDto>, BindMount>>();
sameShape<Same<Plain<ContainerLimitsDto>, ContainerLimits>>();
sameShape<Same<Plain<HvmDiskDto>, DiskSpec<'virtio' | 'ide' | 'sata'>>>();
sameShape<Same<Plain<XenPvDiskDto>, DiskSpec<'xen'>>>();
sameShape<Same<Plain<XenHvmDiskDto>, DiskSpec<'ide' | 'xen'>>>();
sameShape<Same<Plain<HvmNicDto>, NetworkSpec<'virtio' | 'e1000' | 'e1000e' | 'rtl8139'>>>();
sameShape<Same<Plain<XenPvNicDto>, NetworkSpec<'netfront'>>>();
sameShape<Same<Plain<XenHvmNicDto>, NetworkSpec<'e1000' | 'rtl8139' | 'netfront'>>>();
sameShape<Same<Plain<ContainerNicDto>, Omit<NetworkSpec, 'model'>>>();
sameShape<
  Same<
    Plain<HvmBootDto>,
    Client<HvmSpec, 'guestType' | 'arch' | 'machine' | 'kernelBoot' | 'bootDevice' | 'vnc'> & {
      disks?: HvmDiskDto[];
      networks?: HvmNicDto[];
    }
  >
>();
sameShape<Same<Plain<XenPvBootDto>['boot'], XenPvSpec['boot']>>();
sameShape<Same<Plain<XenPvhBootDto>['boot'], XenPvhSpec['boot']>>();
sameShape<
  Same<
    Plain<XenHvmBootDto>,
    Client<XenHvmSpec, 'guestType' | 'loader' | 'bootDevice' | 'vnc'> & { disks?: XenHvmDiskDto[]; networks?: XenHvmNicDto[] }
  >
>();
sameShape<
  Same<
    Plain<ContainerBootDto>,
    Client<ContainerSpec, 'guestType' | 'init' | 'initArgs' | 'env' | 'rootfs' | 'mounts' | 'limits' | 'networks'>
  >
>();
