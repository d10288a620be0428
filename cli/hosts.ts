// virtfleet host list|show|add|update|maintenance|drain|remove
import { unwrap, VirtfleetProblemError } from '../clients/typescript/index.js';
import { type Command, type Context, labels, list, num, oneOf, str, UsageError } from './command.js';
import { followOperation } from './follow.js';
import { allPages, type Host, hostId } from './lookup.js';
import { bar, labelText, table } from './output.js';

export const DRIVER_KINDS = ['qemu-kvm', 'xen', 'lxc'] as const;
const HOST_STATES = ['enabled', 'maintenance', 'draining', 'offline', 'standby'] as const;

function stateText(ctx: Context, state: string): string {
  const s = ctx.style;
  return state === 'enabled' ? s.green(state) : state === 'offline' ? s.red(state) : s.yellow(state);
}

export function hostTable(ctx: Context, hosts: Host[]): string {
  return table(
    ['NAME', 'STATE', 'DRIVER', 'VMS', 'CPU', 'MEMORY', 'DISK', 'LABELS'],
    [...hosts]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((h) => [
        h.name,
        stateText(ctx, h.state),
        h.driverKind,
        String(h.instanceCount),
        bar(h.utilisation.vcpus),
        bar(h.utilisation.memoryMiB),
        bar(h.utilisation.diskGiB),
        labelText(h.labels),
      ]),
    ctx.style,
  );
}

function hostDetail(ctx: Context, h: Host): string {
  const row = (k: string, v: string) => [k, v];
  const use = (name: 'vcpus' | 'memoryMiB' | 'diskGiB', unit: string) =>
    `${bar(h.utilisation[name])}  ${h.allocated[name]} of ${h.usable[name]} ${unit} (capacity ${h.capacity[name]} × ${name === 'vcpus' ? h.ratios.cpu : name === 'memoryMiB' ? h.ratios.memory : h.ratios.disk})`;
  return table(
    ['FIELD', 'VALUE'],
    [
      row('id', h.id),
      row('name', h.name),
      row('state', stateText(ctx, h.state)),
      row('driver', h.driverKind),
      row('uri', h.uri),
      row('hypervisor', [h.hypervisorType, h.hypervisorVersion].filter(Boolean).join(' ') || '-'),
      row('instances', String(h.instanceCount)),
      row('cpu', use('vcpus', 'vCPUs')),
      row('memory', use('memoryMiB', 'MiB')),
      row('disk', use('diskGiB', 'GiB')),
      row('labels', labelText(h.labels) || '-'),
      row('traits', h.traits.join(',') || '-'),
      row('heartbeat', h.lastHeartbeatAt ?? '-'),
      row('last error', h.lastError ?? '-'),
    ],
    ctx.style,
  );
}

const showHost = (ctx: Context, h: Host) => ctx.print(h, () => hostDetail(ctx, h));

const RATIO_OPTIONS = {
  'disk-gib': { type: 'string', value: 'n', description: 'disk capacity to offer in GiB' },
  'cpu-ratio': { type: 'string', value: 'x', description: 'vCPU overcommit ratio' },
  'memory-ratio': { type: 'string', value: 'x', description: 'memory overcommit ratio' },
  'disk-ratio': { type: 'string', value: 'x', description: 'disk overcommit ratio' },
  label: { type: 'string', multiple: true, value: 'k=v', description: 'a host label (repeat for more)' },
  trait: { type: 'string', multiple: true, value: 'trait', description: 'an operator trait (repeat for more)' },
} as const;

export const hostCommands: Command[] = [
  {
    words: ['host', 'list'],
    summary: 'List hosts with their utilisation',
    options: {
      state: { type: 'string', value: 'state', description: 'only hosts in this state', choices: HOST_STATES },
      driver: { type: 'string', value: 'kind', description: 'only hosts of this driver', choices: DRIVER_KINDS },
    },
    example: 'virtfleet host list --state enabled',
    async run(ctx, v) {
      const client = ctx.client();
      const query = { state: oneOf(v.state, 'state', HOST_STATES), driverKind: oneOf(v.driver, 'driver', DRIVER_KINDS), limit: 200 };
      const hosts = await allPages((cursor) => unwrap(client.GET('/api/v1/hosts', { params: { query: { ...query, cursor } } })));
      ctx.print(hosts, () => hostTable(ctx, hosts));
    },
  },
  {
    words: ['host', 'show'],
    summary: 'Show one host: capacity, allocation, utilisation',
    args: ['<host>'],
    example: 'virtfleet host show lv2',
    async run(ctx, _v, [ref]) {
      const client = ctx.client();
      showHost(ctx, await unwrap(client.GET('/api/v1/hosts/{id}', { params: { path: { id: await hostId(client, ref!) } } })));
    },
  },
  {
    words: ['host', 'add'],
    summary: 'Register a libvirt host (probed before it is stored)',
    args: ['<name>'],
    options: {
      uri: { type: 'string', value: 'uri', description: 'libvirt connection URI, e.g. qemu+tcp://10.0.0.2/system (required)' },
      driver: { type: 'string', value: 'kind', description: 'qemu-kvm, xen or lxc (required)', choices: DRIVER_KINDS },
      ...RATIO_OPTIONS,
    },
    example: 'virtfleet host add lv2 --uri qemu+tcp://10.77.0.12/system --driver qemu-kvm --label rack=a',
    async run(ctx, v, [name]) {
      const uri = str(v.uri);
      const driverKind = oneOf(v.driver, 'driver', DRIVER_KINDS);
      if (!uri || !driverKind) throw new UsageError('host add needs --uri and --driver');
      const host = await unwrap(
        ctx.client().POST('/api/v1/hosts', {
          body: {
            name: name!,
            uri,
            driverKind,
            diskGiB: num(v['disk-gib'], 'disk-gib'),
            cpuRatio: num(v['cpu-ratio'], 'cpu-ratio'),
            memoryRatio: num(v['memory-ratio'], 'memory-ratio'),
            diskRatio: num(v['disk-ratio'], 'disk-ratio'),
            labels: labels(v.label),
            traits: list(v.trait).length ? list(v.trait) : undefined,
          },
        }),
      );
      showHost(ctx, host);
    },
  },
  {
    words: ['host', 'update'],
    summary: "Change ratios, disk, labels or traits (guarded by the host's version)",
    args: ['<host>'],
    options: { ...RATIO_OPTIONS, unlabel: { type: 'string', multiple: true, value: 'key', description: 'remove a label' } },
    example: 'virtfleet host update lv2 --cpu-ratio 4 --label zone=b --unlabel rack',
    async run(ctx, v, [ref]) {
      const client = ctx.client();
      const id = await hostId(client, ref!);
      const current = await client.GET('/api/v1/hosts/{id}', { params: { path: { id } } });
      const host = await unwrap(current);
      const added = labels(v.label);
      const removed = list(v.unlabel);
      const newLabels =
        added || removed.length
          ? Object.fromEntries(Object.entries({ ...host.labels, ...added }).filter(([k]) => !removed.includes(k)))
          : undefined;
      const body = {
        diskGiB: num(v['disk-gib'], 'disk-gib'),
        cpuRatio: num(v['cpu-ratio'], 'cpu-ratio'),
        memoryRatio: num(v['memory-ratio'], 'memory-ratio'),
        diskRatio: num(v['disk-ratio'], 'disk-ratio'),
        labels: newLabels,
        traits: list(v.trait).length ? list(v.trait) : undefined,
      };
      if (Object.values(body).every((x) => x === undefined)) throw new UsageError('host update needs at least one change');
      const etag = current.response.headers.get('etag') ?? undefined;
      showHost(ctx, await unwrap(client.PATCH('/api/v1/hosts/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body })));
    },
  },
  {
    words: ['host', 'maintenance'],
    summary: 'Take a host out of placement (on) or put it back (off)',
    args: ['<host>', '<on|off>'],
    example: 'virtfleet host maintenance lv2 on',
    async run(ctx, _v, [ref, switchTo]) {
      if (switchTo !== 'on' && switchTo !== 'off') throw new UsageError('host maintenance takes on or off');
      const client = ctx.client();
      const id = await hostId(client, ref!);
      showHost(
        ctx,
        await unwrap(client.POST('/api/v1/hosts/{id}/maintenance', { params: { path: { id } }, body: { enabled: switchTo === 'on' } })),
      );
    },
  },
  {
    words: ['host', 'drain'],
    summary: 'Move every instance off a host (or stop them), then follow the moves',
    args: ['<host>'],
    options: {
      policy: { type: 'string', value: 'p', description: 'migrate (default) or stop', choices: ['migrate', 'stop'] },
      'target-label': { type: 'string', multiple: true, value: 'k=v', description: 'label every target host must carry' },
      'allow-downtime': { type: 'boolean', description: 'running guests without a live target may move cold' },
    },
    example: 'virtfleet host drain lv2 --allow-downtime',
    async run(ctx, v, [ref]) {
      const client = ctx.client();
      const id = await hostId(client, ref!);
      const result = await unwrap(
        client.POST('/api/v1/hosts/{id}/drain', {
          params: { path: { id } },
          body: {
            policy: oneOf(v.policy, 'policy', ['migrate', 'stop'] as const),
            targetHostLabels: labels(v['target-label'], 'target-label'),
            allowDowntime: v['allow-downtime'] === true || undefined,
          },
        }),
      );
      const names = new Map<string, string>();
      for (const i of [...result.started, ...result.refused]) {
        names.set(i.instanceId, (await unwrap(client.GET('/api/v1/instances/{id}', { params: { path: { id: i.instanceId } } }))).name);
      }
      if (ctx.format === 'table') {
        ctx.stdout(`${result.host.name} is ${result.host.state}: ${result.started.length} moving, ${result.refused.length} refused\n`);
        for (const r of result.refused) ctx.stdout(`  refused ${names.get(r.instanceId)}: ${r.detail}\n`);
      }
      let failed: unknown;
      if (ctx.wait) {
        for (const s of result.started)
          await followOperation(ctx, s.operationId, `move ${names.get(s.instanceId)}`).catch((e: unknown) => (failed ??= e));
      } else if (ctx.format === 'table') {
        for (const s of result.started) ctx.stdout(`  ${names.get(s.instanceId)}: ${ctx.argv0} op wait ${s.operationId}\n`);
      }
      if (ctx.format !== 'table') ctx.print(result, () => '');
      if (failed) throw failed;
      // The host is draining either way; a script must still learn that something stayed.
      if (result.refused.length) {
        throw new VirtfleetProblemError({
          type: 'about:blank',
          title: 'Drain incomplete',
          status: 0,
          detail: `${result.refused.length} instance(s) stay on ${result.host.name}: ${result.refused.map((r) => `${names.get(r.instanceId)}: ${r.detail}`).join('; ')}`,
        });
      }
    },
  },
  {
    words: ['host', 'remove'],
    summary: 'Remove an empty host from the fleet',
    args: ['<host>'],
    example: 'virtfleet host remove lv2',
    async run(ctx, _v, [ref]) {
      const client = ctx.client();
      const id = await hostId(client, ref!);
      await unwrap(client.DELETE('/api/v1/hosts/{id}', { params: { path: { id } } }));
      ctx.print({ removed: id }, () => `removed host ${ref}`);
    },
  },
];
