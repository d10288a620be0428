// Pure validation of a DomainSpec. Builders refuse to emit XML for a spec with problems, so
// every string that reaches the writer is already known to be representable and sane.
import { UnprocessableError } from '../../common/domain-errors.js';
import type { BindMount, ContainerSpec, DiskBus, DiskSpec, DomainSpec, KernelBoot, NetworkSpec, NicModel } from './domain-spec.js';
import { isXmlSafe } from './xml-writer.js';

export interface SpecProblem {
  /** Where in the spec, e.g. `disks[1].path` or `labels["tier"]`. */
  path: string;
  message: string;
}

export class InvalidDomainSpecError extends UnprocessableError {
  constructor(readonly problems: readonly SpecProblem[]) {
    super(`Invalid domain spec: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
  }
}

export const LIMITS = {
  maxVcpus: 4096,
  minVmMemoryMiB: 16,
  minContainerMemoryMiB: 8,
  /** 16 TiB. */
  maxMemoryMiB: 16 * 1024 * 1024,
  maxPathLength: 4096,
  maxCmdlineLength: 2048,
  maxDescriptionLength: 4096,
  maxLabels: 64,
  maxLabelValueLength: 256,
  maxDisks: 64,
  /** Two IDE channels with two units each on the pc and xenfv machines. */
  maxIdeDisks: 4,
  maxNetworks: 32,
  maxInitArgs: 256,
  minCpuShares: 2,
  maxCpuShares: 262_144,
} as const;

const DOMAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const MACHINE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
// Linux interface names: at most 15 bytes, no '/', ':' or whitespace.
const BRIDGE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;
const NETWORK_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;
// Multiline free text may keep tab and LF; a raw CR would not survive an XML parser.
const CONTROL_CHAR_EXCEPT_TAB_LF = /[\u0000-\u0008\u000b-\u001f\u007f]/;
/**
 * Characters libvirt writes back unescaped. libvirt 9.0 formats `<initenv name='%s'>%s</initenv>`
 * with a plain printf (virDomainDefFormatInternal), so an env value comes back from GetXMLDesc
 * as raw markup: `<` opens elements (`x</initenv></os><devices><filesystem>…` became a real
 * device wherever that XML was defined again), `&` starts an entity, `>` closes a `]]>` that XML
 * forbids in text. Checked on the real QEMU and LXC drivers for every field we write
 * (test/libvirt-escaping.e2e-spec.ts): all other fields are escaped by libvirt and come back
 * unchanged, except raw CR/LF/tab, which libvirt folds (attributes) or XML normalises (CR), and
 * which every single-line field refuses already. Guests are never defined from XML read back
 * (targets are rebuilt from the spec); these values are refused because nothing libvirt reports
 * about such a guest (dumpxml, other tools, a libvirt-level migration) can be trusted.
 */
const LIBVIRT_UNESCAPED_IN_INITENV = /[<>&]/;

const DISK_DEV_PREFIX: Readonly<Record<DiskBus, string>> = { virtio: 'vd', ide: 'hd', sata: 'sd', xen: 'xvd' };

const NIC_MODELS: Readonly<Record<DomainSpec['guestType'], readonly NicModel[]>> = {
  hvm: ['virtio', 'e1000', 'e1000e', 'rtl8139'],
  'xen-pv': ['netfront'],
  'xen-pvh': ['netfront'],
  'xen-hvm': ['e1000', 'rtl8139', 'netfront'],
  container: [],
};

const DISK_BUSES: Readonly<Record<DomainSpec['guestType'], readonly DiskBus[]>> = {
  hvm: ['virtio', 'ide', 'sata'],
  'xen-pv': ['xen'],
  'xen-pvh': ['xen'],
  'xen-hvm': ['ide', 'xen'],
  container: [],
};

class Problems {
  readonly list: SpecProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

const quote = (key: string) => JSON.stringify(key);

/** A one-line string that XML can carry: no control characters at all (so no NUL, CR, LF, tab). */
function checkSingleLine(p: Problems, path: string, value: unknown, maxLength: number, { allowEmpty = false } = {}): value is string {
  if (typeof value !== 'string') {
    p.add(path, 'must be a string');
    return false;
  }
  if (!allowEmpty && value.length === 0) p.add(path, 'must not be empty');
  else if (value.length > maxLength) p.add(path, `must be at most ${maxLength} characters`);
  else if (CONTROL_CHAR.test(value)) p.add(path, 'must not contain control characters (NUL, newline, tab, ...)');
  else if (!isXmlSafe(value)) p.add(path, 'contains characters XML 1.0 cannot carry');
  else return true;
  return false;
}

function checkPattern(p: Problems, path: string, value: unknown, pattern: RegExp, rule: string): void {
  if (typeof value !== 'string') p.add(path, 'must be a string');
  else if (!pattern.test(value)) p.add(path, `must match ${rule}`);
}

function checkAbsolutePath(p: Problems, path: string, value: unknown): void {
  if (!checkSingleLine(p, path, value, LIMITS.maxPathLength)) return;
  if (!value.startsWith('/')) p.add(path, 'must be an absolute path');
}

function checkInteger(p: Problems, path: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) p.add(path, 'must be an integer');
  else if (value < min || value > max) p.add(path, `must be between ${min} and ${max}`);
}

function checkCommon(p: Problems, spec: DomainSpec, minMemoryMiB: number): void {
  checkPattern(p, 'name', spec.name, DOMAIN_NAME, '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$');
  checkPattern(p, 'uuid', spec.uuid, UUID, 'a lower-case canonical UUID (8-4-4-4-12 hex digits)');
  checkPattern(p, 'instanceId', spec.instanceId, INSTANCE_ID, '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$');
  checkInteger(p, 'vcpus', spec.vcpus, 1, LIMITS.maxVcpus);
  checkInteger(p, 'memoryMiB', spec.memoryMiB, minMemoryMiB, LIMITS.maxMemoryMiB);
  if (spec.description !== undefined) {
    const d = spec.description;
    if (typeof d !== 'string') p.add('description', 'must be a string');
    else if (d.length > LIMITS.maxDescriptionLength) p.add('description', `must be at most ${LIMITS.maxDescriptionLength} characters`);
    else if (CONTROL_CHAR_EXCEPT_TAB_LF.test(d)) p.add('description', 'must not contain control characters other than tab and newline');
    else if (!isXmlSafe(d)) p.add('description', 'contains characters XML 1.0 cannot carry');
  }
  if (spec.labels !== undefined) {
    const entries = Object.entries(spec.labels);
    if (entries.length > LIMITS.maxLabels) p.add('labels', `must have at most ${LIMITS.maxLabels} entries`);
    for (const [key, value] of entries) {
      const path = `labels[${quote(key)}]`;
      if (!LABEL_KEY.test(key)) p.add(path, 'key must be 1-63 characters of [A-Za-z0-9_.-], starting and ending with a letter or digit');
      checkSingleLine(p, path, value, LIMITS.maxLabelValueLength, { allowEmpty: true });
    }
  }
}

function checkKernelBoot(p: Problems, path: string, boot: KernelBoot): void {
  checkAbsolutePath(p, `${path}.kernel`, boot.kernel);
  if (boot.initrd !== undefined) checkAbsolutePath(p, `${path}.initrd`, boot.initrd);
  if (boot.cmdline !== undefined) checkSingleLine(p, `${path}.cmdline`, boot.cmdline, LIMITS.maxCmdlineLength, { allowEmpty: true });
}

function checkDisks(p: Problems, disks: readonly DiskSpec[], allowedBuses: readonly DiskBus[]): void {
  if (!Array.isArray(disks as unknown)) return p.add('disks', 'must be an array');
  if (disks.length > LIMITS.maxDisks) p.add('disks', `must have at most ${LIMITS.maxDisks} entries`);
  if (disks.filter((d) => d.bus === 'ide').length > LIMITS.maxIdeDisks) p.add('disks', `at most ${LIMITS.maxIdeDisks} IDE disks fit`);
  const devs = new Map<string, number>();
  disks.forEach((disk, i) => {
    const path = `disks[${i}]`;
    checkAbsolutePath(p, `${path}.path`, disk.path);
    if (disk.format !== 'raw' && disk.format !== 'qcow2') p.add(`${path}.format`, "must be 'raw' or 'qcow2'");
    if (!allowedBuses.includes(disk.bus)) {
      p.add(`${path}.bus`, `must be one of ${allowedBuses.join(', ')}`);
      return;
    }
    // QEMU emulates IDE and SATA hard disks as writable only (libvirt: "readonly sata disks are not supported").
    if (disk.readonly && (disk.bus === 'ide' || disk.bus === 'sata'))
      p.add(`${path}.readonly`, `is not supported on bus ${disk.bus}; use virtio or xen`);
    if (disk.dev === undefined) return;
    const prefix = DISK_DEV_PREFIX[disk.bus];
    if (typeof disk.dev !== 'string' || !new RegExp(`^${prefix}[a-z]{1,2}$`).test(disk.dev)) {
      p.add(`${path}.dev`, `must be ${prefix} followed by one or two letters on bus ${disk.bus}`);
    } else if (devs.has(disk.dev)) {
      p.add(`${path}.dev`, `duplicate disk target ${disk.dev} (also disks[${devs.get(disk.dev)}])`);
    } else {
      devs.set(disk.dev, i);
    }
  });
}

function checkNetworks(p: Problems, networks: readonly NetworkSpec[], allowedModels: readonly NicModel[]): void {
  if (!Array.isArray(networks as unknown)) return p.add('networks', 'must be an array');
  if (networks.length > LIMITS.maxNetworks) p.add('networks', `must have at most ${LIMITS.maxNetworks} entries`);
  const macs = new Map<string, number>();
  networks.forEach((nic, i) => {
    const path = `networks[${i}]`;
    if (nic.kind === 'bridge') checkPattern(p, `${path}.source`, nic.source, BRIDGE_NAME, 'a Linux bridge name (1-15 of [A-Za-z0-9_.-])');
    else if (nic.kind === 'network')
      checkPattern(p, `${path}.source`, nic.source, NETWORK_NAME, 'a libvirt network name (1-64 of [A-Za-z0-9_.-])');
    else p.add(`${path}.kind`, "must be 'bridge' or 'network'");
    if (nic.model !== undefined && !allowedModels.includes(nic.model)) {
      p.add(`${path}.model`, allowedModels.length ? `must be one of ${allowedModels.join(', ')}` : 'is not supported for this guest type');
    }
    if (nic.mac === undefined) return;
    if (typeof nic.mac !== 'string' || !MAC.test(nic.mac)) p.add(`${path}.mac`, 'must be a lower-case MAC address like 52:54:00:12:34:56');
    else if (parseInt(nic.mac.slice(0, 2), 16) & 1) p.add(`${path}.mac`, 'must be a unicast address (low bit of the first octet clear)');
    else if (macs.has(nic.mac)) p.add(`${path}.mac`, `duplicate MAC address (also networks[${macs.get(nic.mac)}])`);
    else macs.set(nic.mac, i);
  });
}

function checkContainer(p: Problems, spec: ContainerSpec): void {
  checkAbsolutePath(p, 'init', spec.init);
  const args = spec.initArgs ?? [];
  if (args.length > LIMITS.maxInitArgs) p.add('initArgs', `must have at most ${LIMITS.maxInitArgs} entries`);
  args.forEach((arg, i) => checkSingleLine(p, `initArgs[${i}]`, arg, LIMITS.maxCmdlineLength, { allowEmpty: true }));
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    const path = `env[${quote(name)}]`;
    if (!ENV_NAME.test(name)) p.add(path, 'name must match ^[A-Za-z_][A-Za-z0-9_]{0,127}$');
    if (checkSingleLine(p, path, value, LIMITS.maxCmdlineLength, { allowEmpty: true }) && LIBVIRT_UNESCAPED_IN_INITENV.test(value)) {
      p.add(path, "must not contain '<', '>' or '&': libvirt writes environment values back unescaped");
    }
  }
  if (spec.rootfs !== undefined) checkAbsolutePath(p, 'rootfs', spec.rootfs);
  const targets = new Map<string, number>();
  (spec.mounts ?? []).forEach((mount: BindMount, i) => {
    checkAbsolutePath(p, `mounts[${i}].source`, mount.source);
    checkAbsolutePath(p, `mounts[${i}].target`, mount.target);
    if (typeof mount.target !== 'string') return;
    const target = mount.target.replace(/\/+$/, '');
    if (target === '') p.add(`mounts[${i}].target`, "must not be '/' (use rootfs)");
    else if (targets.has(target)) p.add(`mounts[${i}].target`, `duplicate mount target (also mounts[${targets.get(target)}])`);
    else targets.set(target, i);
  });
  const { memoryHardLimitMiB: hard, memorySoftLimitMiB: soft, cpuShares } = spec.limits ?? {};
  if (hard !== undefined) checkInteger(p, 'limits.memoryHardLimitMiB', hard, LIMITS.minContainerMemoryMiB, LIMITS.maxMemoryMiB);
  if (soft !== undefined) checkInteger(p, 'limits.memorySoftLimitMiB', soft, LIMITS.minContainerMemoryMiB, LIMITS.maxMemoryMiB);
  if (hard !== undefined && soft !== undefined && soft > hard) p.add('limits.memorySoftLimitMiB', 'must not exceed memoryHardLimitMiB');
  if (cpuShares !== undefined) checkInteger(p, 'limits.cpuShares', cpuShares, LIMITS.minCpuShares, LIMITS.maxCpuShares);
  checkNetworks(p, spec.networks ?? [], NIC_MODELS.container);
}

/** Every problem with the spec; an empty list means the builders will accept it. */
export function validateDomainSpec(spec: DomainSpec): SpecProblem[] {
  const p = new Problems();
  if (spec === null || typeof spec !== 'object') {
    p.add('', 'must be an object');
    return p.list;
  }
  switch (spec.guestType) {
    case 'hvm':
      checkCommon(p, spec, LIMITS.minVmMemoryMiB);
      if (spec.domainType !== 'kvm' && spec.domainType !== 'qemu') p.add('domainType', "must be 'kvm' or 'qemu'");
      if (spec.arch !== undefined && spec.arch !== 'x86_64' && spec.arch !== 'i686') p.add('arch', "must be 'x86_64' or 'i686'");
      if (spec.machine !== undefined) checkPattern(p, 'machine', spec.machine, MACHINE, 'a machine type like pc, q35 or pc-i440fx-7.2');
      if (spec.emulator !== undefined) checkAbsolutePath(p, 'emulator', spec.emulator);
      if (spec.kernelBoot !== undefined) checkKernelBoot(p, 'kernelBoot', spec.kernelBoot);
      checkBootDevice(p, spec.bootDevice);
      if (spec.kernelBoot !== undefined && spec.bootDevice !== undefined) p.add('bootDevice', 'must not be set together with kernelBoot');
      if (spec.console !== 'pty') p.add('console', "must be 'pty'");
      checkDisks(p, spec.disks, DISK_BUSES.hvm);
      checkNetworks(p, spec.networks, NIC_MODELS.hvm);
      break;
    case 'xen-pv':
      checkCommon(p, spec, LIMITS.minVmMemoryMiB);
      if (spec.boot?.kind === 'kernel') checkKernelBoot(p, 'boot', spec.boot);
      else if (spec.boot?.kind === 'bootloader') checkAbsolutePath(p, 'boot.bootloader', spec.boot.bootloader);
      else p.add('boot.kind', "must be 'kernel' or 'bootloader'");
      checkDisks(p, spec.disks, DISK_BUSES['xen-pv']);
      checkNetworks(p, spec.networks, NIC_MODELS['xen-pv']);
      break;
    case 'xen-pvh':
      checkCommon(p, spec, LIMITS.minVmMemoryMiB);
      if (spec.boot === null || typeof spec.boot !== 'object') p.add('boot', 'must be a kernel boot');
      else checkKernelBoot(p, 'boot', spec.boot);
      checkDisks(p, spec.disks, DISK_BUSES['xen-pvh']);
      checkNetworks(p, spec.networks, NIC_MODELS['xen-pvh']);
      break;
    case 'xen-hvm':
      checkCommon(p, spec, LIMITS.minVmMemoryMiB);
      if (spec.loader !== undefined) checkAbsolutePath(p, 'loader', spec.loader);
      if (spec.emulator !== undefined) checkAbsolutePath(p, 'emulator', spec.emulator);
      checkBootDevice(p, spec.bootDevice);
      checkDisks(p, spec.disks, DISK_BUSES['xen-hvm']);
      checkNetworks(p, spec.networks, NIC_MODELS['xen-hvm']);
      break;
    case 'container':
      checkCommon(p, spec, LIMITS.minContainerMemoryMiB);
      checkContainer(p, spec);
      break;
    default:
      p.add('guestType', "must be one of 'hvm', 'xen-pv', 'xen-pvh', 'xen-hvm', 'container'");
  }
  return p.list;
}

function checkBootDevice(p: Problems, device: unknown): void {
  if (device !== undefined && device !== 'hd' && device !== 'cdrom' && device !== 'network') {
    p.add('bootDevice', "must be 'hd', 'cdrom' or 'network'");
  }
}

export function assertValidDomainSpec(spec: DomainSpec): void {
  const problems = validateDomainSpec(spec);
  if (problems.length > 0) throw new InvalidDomainSpecError(problems);
}
