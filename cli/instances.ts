// virtfleet instance list|show|create|start|stop|reboot|suspend|resume|migrate|resize|delete
import { unwrap, type components } from '../clients/typescript/index.js';
import { type Command, type Context, int, labels, oneOf, str, UsageError, type Values } from './command.js';
import { followOperation } from './follow.js';
import { DRIVER_KINDS } from './hosts.js';
import { allPages, hostId, hostNames, type Instance, instanceId } from './lookup.js';
import { labelText, mib, table } from './output.js';

type Accepted = components['schemas']['AcceptedOperationDto'];
type BootSpec = components['schemas']['CreateInstanceDto']['boot'];
const POWER_STATES = ['running', 'paused', 'shutoff', 'shutting-down', 'crashed', 'pm-suspended', 'blocked', 'missing', 'unknown'] as const;

function stateText(ctx: Context, i: Instance): string {
  const s = ctx.style;
  const observed =
    i.observedState === 'running'
      ? s.green(i.observedState)
      : ['crashed', 'missing'].includes(i.observedState)
        ? s.red(i.observedState)
        : i.observedState;
  return i.task ? `${observed} ${s.yellow(`(${i.task})`)}` : observed;
}

function instanceTable(ctx: Context, items: Instance[], hosts: Map<string, string>): string {
  return table(
    ['NAME', 'STATE', 'DESIRED', 'HOST', 'VCPUS', 'MEMORY', 'DISK', 'DRIVER', 'LABELS'],
    items.map((i) => [
      i.name,
      stateText(ctx, i),
      i.desiredState,
      (i.hostId && hosts.get(i.hostId)) ?? i.hostId ?? '-',
      String(i.vcpus),
      mib(i.memoryMiB),
      `${i.diskGiB} GiB`,
      i.driverKind,
      labelText(i.labels),
    ]),
    ctx.style,
  );
}

async function showInstance(ctx: Context, i: Instance): Promise<void> {
  const hosts = ctx.format === 'table' ? await hostNames(ctx.client()) : new Map<string, string>();
  ctx.print(i, () =>
    table(
      ['FIELD', 'VALUE'],
      [
        ['id', i.id],
        ['name', i.name],
        ['state', stateText(ctx, i)],
        ['desired', i.desiredState],
        ['observed reason', i.observedReason ?? '-'],
        ['host', (i.hostId && hosts.get(i.hostId)) ?? i.hostId ?? '-'],
        ['driver', `${i.driverKind} (${i.guestType})`],
        ['vcpus', String(i.vcpus)],
        ['memory', mib(i.memoryMiB)],
        ['disk', `${i.diskGiB} GiB`],
        ['labels', labelText(i.labels) || '-'],
        ['pinned', String(i.pinned)],
        ['placement group', i.placementGroup ? `${i.placementGroup.name} (${i.placementGroup.policy})` : '-'],
        ['task', i.task ? `${i.task} until ${i.taskDeadline} (op ${i.taskOperationId})` : '-'],
        ['last migrated', i.lastMigratedAt ?? '-'],
      ],
      ctx.style,
    ),
  );
}

/** An action answered 202: follow its operation unless --no-wait, then show the instance. */
async function accepted(ctx: Context, label: string, answer: Accepted): Promise<void> {
  if (!ctx.wait) {
    ctx.print(answer, () => `${label}: started operation ${answer.operationId}\nfollow it: ${ctx.argv0} op wait ${answer.operationId}`);
    return;
  }
  await followOperation(ctx, answer.operationId, label);
  const client = ctx.client();
  const now = await client.GET('/api/v1/instances/{id}', { params: { path: { id: answer.instance.id } } });
  // A delete ends with the instance gone.
  if (now.response.status === 404) ctx.print({ deleted: answer.instance.id }, () => `deleted ${answer.instance.name}`);
  else await showInstance(ctx, await unwrap(now));
}

const ACTIONS = ['start', 'reboot', 'suspend', 'resume'] as const;

function defaultBoot(driver: string, v: Values): BootSpec {
  const json = str(v.boot);
  if (json) {
    try {
      return JSON.parse(json) as BootSpec;
    } catch (error) {
      throw new UsageError(`--boot is not JSON: ${(error as Error).message}`);
    }
  }
  if (driver === 'lxc') return { guestType: 'container', init: str(v.init) ?? '/sbin/init' } as BootSpec;
  if (driver === 'xen') return { guestType: 'xen-hvm' } as BootSpec;
  return { guestType: 'hvm' } as BootSpec;
}

export const instanceCommands: Command[] = [
  {
    words: ['instance', 'list'],
    summary: 'List instances with desired, observed and task state',
    options: {
      host: { type: 'string', value: 'host', description: 'only instances on this host (name or id)' },
      state: { type: 'string', value: 'state', description: 'only instances libvirt last saw in this state', choices: POWER_STATES },
      driver: { type: 'string', value: 'kind', description: 'only instances of this driver', choices: DRIVER_KINDS },
    },
    example: 'virtfleet instance list --host lv2',
    async run(ctx, v) {
      const client = ctx.client();
      const host = str(v.host);
      const query = {
        hostId: host ? await hostId(client, host) : undefined,
        observedState: oneOf(v.state, 'state', POWER_STATES),
        driverKind: oneOf(v.driver, 'driver', DRIVER_KINDS),
        limit: 200,
      };
      const items = await allPages((cursor) => unwrap(client.GET('/api/v1/instances', { params: { query: { ...query, cursor } } })));
      const hosts = ctx.format === 'table' ? await hostNames(client) : new Map<string, string>();
      ctx.print(items, () => instanceTable(ctx, items, hosts));
    },
  },
  {
    words: ['instance', 'show'],
    summary: 'Show one instance',
    args: ['<instance>'],
    example: 'virtfleet instance show web-1',
    async run(ctx, _v, [ref]) {
      const client = ctx.client();
      await showInstance(
        ctx,
        await unwrap(client.GET('/api/v1/instances/{id}', { params: { path: { id: await instanceId(client, ref!) } } })),
      );
    },
  },
  {
    words: ['instance', 'create'],
    summary: 'Create an instance (placement picks the host unless --host)',
    args: ['<name>'],
    options: {
      vcpus: { type: 'string', value: 'n', description: 'vCPUs (default 1)' },
      memory: { type: 'string', value: 'MiB', description: 'memory in MiB (default 512)' },
      disk: { type: 'string', value: 'GiB', description: 'disk in GiB (default 0)' },
      driver: { type: 'string', value: 'kind', description: 'qemu-kvm (default), xen or lxc', choices: DRIVER_KINDS },
      host: { type: 'string', value: 'host', description: 'put it on this host (name or id)' },
      label: { type: 'string', multiple: true, value: 'k=v', description: 'an instance label' },
      'require-label': { type: 'string', multiple: true, value: 'k=v', description: 'a host label the host must carry' },
      weigher: { type: 'string', value: 'w', description: 'pack or spread', choices: ['pack', 'spread'] },
      init: { type: 'string', value: 'path', description: 'container init (lxc; default /sbin/init)' },
      boot: { type: 'string', value: 'json', description: 'the whole boot spec as JSON (see the API docs)' },
      'no-start': { type: 'boolean', description: 'define it, do not start it' },
    },
    example: 'virtfleet instance create web-1 --vcpus 2 --memory 1024 --label app=web',
    async run(ctx, v, [name]) {
      const client = ctx.client();
      const driverKind = oneOf(v.driver, 'driver', DRIVER_KINDS) ?? 'qemu-kvm';
      const host = str(v.host);
      const answer = await unwrap(
        client.POST('/api/v1/instances', {
          body: {
            name: name!,
            driverKind,
            vcpus: int(v.vcpus, 'vcpus') ?? 1,
            memoryMiB: int(v.memory, 'memory') ?? 512,
            diskGiB: int(v.disk, 'disk'),
            boot: defaultBoot(driverKind, v),
            labels: labels(v.label),
            requiredHostLabels: labels(v['require-label'], 'require-label'),
            hostId: host ? await hostId(client, host) : undefined,
            weigher: oneOf(v.weigher, 'weigher', ['pack', 'spread'] as const),
            start: v['no-start'] === true ? false : undefined,
          },
        }),
      );
      await accepted(ctx, `create ${name}`, answer);
    },
  },
  ...ACTIONS.map((action): Command => ({
    words: ['instance', action],
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} an instance`,
    args: ['<instance>'],
    example: `virtfleet instance ${action} web-1`,
    async run(ctx, _v, [ref]) {
      const client = ctx.client();
      const id = await instanceId(client, ref!);
      const answer = await unwrap(client.POST(`/api/v1/instances/{id}/${action}`, { params: { path: { id } } }));
      await accepted(ctx, `${action} ${ref}`, answer);
    },
  })),
  {
    words: ['instance', 'stop'],
    summary: 'Shut an instance down (ACPI), or pull the plug with --force',
    args: ['<instance>'],
    options: {
      force: { type: 'boolean', description: 'force-stop: no guest shutdown' },
      timeout: { type: 'string', value: 's', description: 'seconds to wait for the guest OS (1-600, default 60)' },
    },
    example: 'virtfleet instance stop web-1 --timeout 30',
    async run(ctx, v, [ref]) {
      const client = ctx.client();
      const id = await instanceId(client, ref!);
      const answer =
        v.force === true
          ? await unwrap(client.POST('/api/v1/instances/{id}/force-stop', { params: { path: { id } } }))
          : await unwrap(
              client.POST('/api/v1/instances/{id}/stop', { params: { path: { id } }, body: { timeoutSeconds: int(v.timeout, 'timeout') } }),
            );
      await accepted(ctx, `stop ${ref}`, answer);
    },
  },
  {
    words: ['instance', 'migrate'],
    summary: 'Move an instance to another host (live when it can), following the transfer',
    args: ['<instance>'],
    options: {
      to: { type: 'string', value: 'host', description: 'target host (name or id); placement picks one otherwise' },
      mode: { type: 'string', value: 'm', description: 'auto (default), live or cold', choices: ['auto', 'live', 'cold'] },
      'require-label': { type: 'string', multiple: true, value: 'k=v', description: 'a label the target must carry' },
      'allow-downtime': { type: 'boolean', description: 'a running guest may move cold' },
    },
    example: 'virtfleet instance migrate web-1 --to lv3',
    async run(ctx, v, [ref]) {
      const client = ctx.client();
      const id = await instanceId(client, ref!);
      const to = str(v.to);
      const answer = await unwrap(
        client.POST('/api/v1/instances/{id}/migrate', {
          params: { path: { id } },
          body: {
            targetHostId: to ? await hostId(client, to) : undefined,
            mode: oneOf(v.mode, 'mode', ['auto', 'live', 'cold'] as const),
            requiredHostLabels: labels(v['require-label'], 'require-label'),
            allowDowntime: v['allow-downtime'] === true || undefined,
          },
        }),
      );
      await accepted(ctx, `migrate ${ref}`, answer);
    },
  },
  {
    words: ['instance', 'resize'],
    summary: 'Change vCPUs or memory of a shut-off instance',
    args: ['<instance>'],
    options: {
      vcpus: { type: 'string', value: 'n', description: 'new vCPU count' },
      memory: { type: 'string', value: 'MiB', description: 'new memory in MiB' },
    },
    example: 'virtfleet instance resize web-1 --vcpus 4 --memory 2048',
    async run(ctx, v, [ref]) {
      const vcpus = int(v.vcpus, 'vcpus');
      const memoryMiB = int(v.memory, 'memory');
      if (vcpus === undefined && memoryMiB === undefined) throw new UsageError('instance resize needs --vcpus or --memory');
      const client = ctx.client();
      const id = await instanceId(client, ref!);
      const current = await client.GET('/api/v1/instances/{id}', { params: { path: { id } } });
      await unwrap(current);
      const etag = current.response.headers.get('etag') ?? undefined;
      await showInstance(
        ctx,
        await unwrap(
          client.PATCH('/api/v1/instances/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body: { vcpus, memoryMiB } }),
        ),
      );
    },
  },
  {
    words: ['instance', 'delete'],
    summary: 'Delete an instance (its guest is destroyed and undefined)',
    args: ['<instance>'],
    example: 'virtfleet instance delete web-1',
    async run(ctx, _v, [ref]) {
      const client = ctx.client();
      const id = await instanceId(client, ref!);
      await accepted(ctx, `delete ${ref}`, await unwrap(client.DELETE('/api/v1/instances/{id}', { params: { path: { id } } })));
    },
  },
];
