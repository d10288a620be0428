// `boot` is published as a typed union (oneOf, discriminated by guestType): a client script for
// each guest type type-checks against the generated client, a wrong field or bus does not, and
// the published fields are exactly those the server's validator accepts (BOOT_FIELDS).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BOOT_FIELDS } from '../src/instances/guest-spec.js';
import { GUEST_TYPES } from '../src/hypervisor/capabilities.js';

const repo = path.resolve(import.meta.dirname, '..');
const spec = JSON.parse(readFileSync(path.join(repo, 'openapi', 'openapi.json'), 'utf8'));
const schemas = spec.components.schemas as Record<
  string,
  { properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown }
>;
const deref = (s: { $ref?: string }) => schemas[s.$ref!.split('/').pop()!]!;

/** Client scripts as an integrator writes them; `@ts-expect-error` lines must NOT compile. */
const CLIENT_SCRIPT = `
import { createVirtfleetClient, type components } from './client/index.js';

type CreateInstance = components['schemas']['CreateInstanceDto'];
const client = createVirtfleetClient('http://127.0.0.1:3000');

const hvm: CreateInstance = {
  name: 'vm-1', driverKind: 'qemu-kvm', vcpus: 2, memoryMiB: 2048,
  boot: {
    guestType: 'hvm', arch: 'x86_64', machine: 'q35', bootDevice: 'hd', vnc: true,
    disks: [{ path: '/var/lib/virtfleet/images/vm-1.qcow2', format: 'qcow2', bus: 'virtio', readonly: false, dev: 'vda' }],
    networks: [{ kind: 'network', source: 'default', model: 'e1000', mac: '52:54:00:12:34:56' }],
  },
};
const hvmKernel: CreateInstance['boot'] = { guestType: 'hvm', kernelBoot: { kernel: '/k/vmlinuz', initrd: '/k/initrd', cmdline: 'console=ttyS0' } };
const xenPvKernel: CreateInstance['boot'] = {
  guestType: 'xen-pv', boot: { kind: 'kernel', kernel: '/k/vmlinuz', initrd: '/k/initrd', cmdline: 'root=/dev/xvda' },
  disks: [{ path: '/images/pv.raw', format: 'raw', bus: 'xen' }], networks: [{ kind: 'bridge', source: 'xenbr0', model: 'netfront' }],
};
const xenPvLoader: CreateInstance['boot'] = { guestType: 'xen-pv', boot: { kind: 'bootloader', bootloader: '/usr/bin/pygrub' } };
const xenPvh: CreateInstance['boot'] = { guestType: 'xen-pvh', boot: { kernel: '/k/vmlinuz' }, disks: [{ path: '/images/pvh.raw', format: 'raw', bus: 'xen' }] };
const xenHvm: CreateInstance['boot'] = {
  guestType: 'xen-hvm', loader: '/usr/lib/xen-4.17/boot/hvmloader', bootDevice: 'cdrom', vnc: false,
  disks: [{ path: '/images/hvm.raw', format: 'raw', bus: 'ide' }], networks: [{ kind: 'network', source: 'default', model: 'rtl8139' }],
};
const container: CreateInstance = {
  name: 'ct-1', driverKind: 'lxc', vcpus: 1, memoryMiB: 256,
  boot: {
    guestType: 'container', init: '/bin/sleep', initArgs: ['infinity'], env: { TZ: 'UTC' }, rootfs: '/srv/ct-1',
    mounts: [{ source: '/srv/data', target: '/data', readonly: true }], limits: { memoryHardLimitMiB: 256, memorySoftLimitMiB: 128, cpuShares: 1024 },
    networks: [{ kind: 'bridge', source: 'br0' }],
  },
};

async function main(): Promise<void> {
  const created = await client.POST('/api/v1/instances', { body: container });
  const boot = created.data?.instance.boot;
  // The answer's boot narrows by guestType, like the request's.
  if (boot?.guestType === 'container') console.log(boot.init, boot.rootfs);
  if (boot?.guestType === 'xen-pv' && boot.boot.kind === 'kernel') console.log(boot.boot.kernel);
  if (boot?.guestType === 'hvm') console.log(boot.disks?.[0]?.bus);
  const op = await client.GET('/api/v1/operations/{id}', { params: { path: { id: created.data!.operationId } } });
  const done: 'pending' | 'running' | 'succeeded' | 'failed' | 'aborted' | undefined = op.data?.status;
  const placed: string | undefined = created.data?.instance.placementGroup?.name;
  console.log(done, placed, hvm, hvmKernel, xenPvKernel, xenPvLoader, xenPvh, xenHvm);
}

// @ts-expect-error a container needs init
const noInit: CreateInstance['boot'] = { guestType: 'container' };
// @ts-expect-error Xen PV guests have no hvm disk buses
const pvVirtio: CreateInstance['boot'] = { guestType: 'xen-pv', boot: { kind: 'bootloader', bootloader: '/usr/bin/pygrub' }, disks: [{ path: '/i', format: 'raw', bus: 'virtio' }] };
// @ts-expect-error a Xen PV boot says which kind it is
const pvNoKind: CreateInstance['boot'] = { guestType: 'xen-pv', boot: { kernel: '/k' } };
// @ts-expect-error containers have no disks
const ctDisks: CreateInstance['boot'] = { guestType: 'container', init: '/bin/sh', disks: [] };
// @ts-expect-error not a guest type
const unknownType: CreateInstance['boot'] = { guestType: 'bhyve' };
// @ts-expect-error states are enums, not strings
const badState: components['schemas']['OperationDto']['status'] = 'done';
console.log(main, noInit, pvVirtio, pvNoKind, ctDisks, unknownType, badState);
`;

describe('boot in the OpenAPI document and the generated client', () => {
  it('type-checks a client script for every guest type, and refuses wrong shapes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-client-boot-'));
    try {
      // The client as published (index.ts + generated types), next to the script.
      const client = path.join(dir, 'client');
      mkdirSync(client);
      for (const f of ['index.ts', 'virtfleet-api.generated.ts'])
        writeFileSync(path.join(client, f), readFileSync(path.join(repo, 'clients', 'typescript', f)));
      symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(path.join(dir, 'script.ts'), CLIENT_SCRIPT);
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'ES2023',
            lib: ['ES2023', 'DOM'],
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          include: ['script.ts', 'client'],
        }),
      );
      const r = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(GUEST_TYPES)('publishes exactly the %s fields the validator accepts', (guestType) => {
    const boot = schemas.CreateInstanceDto!.properties!.boot as {
      oneOf: { $ref: string }[];
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    expect(boot.discriminator.propertyName).toBe('guestType');
    const variant = deref({ $ref: boot.discriminator.mapping[guestType] });
    expect(boot.oneOf).toContainEqual({ $ref: boot.discriminator.mapping[guestType] });
    expect(variant.properties!.guestType).toMatchObject({ enum: [guestType] });
    expect(
      Object.keys(variant.properties!)
        .filter((f) => f !== 'guestType')
        .sort(),
    ).toEqual([...BOOT_FIELDS[guestType]].sort());
    expect(variant.required).toContain('guestType');
    // The answer describes the same union.
    expect(schemas.InstanceDto!.properties!.boot).toMatchObject({ oneOf: boot.oneOf, discriminator: boot.discriminator });
  });
});
