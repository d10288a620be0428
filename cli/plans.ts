// virtfleet plan create|list|show|execute|abort, and placement preview
import { unwrap, type components } from '../clients/typescript/index.js';
import { type Command, type Context, int, labels, list, num, oneOf, str } from './command.js';
import { followPlan, type Plan } from './follow.js';
import { DRIVER_KINDS } from './hosts.js';
import { allPages, hostId, hostNames } from './lookup.js';
import { drawPlan } from './plan-picture.js';
import { mib, table } from './output.js';

type Host = components['schemas']['HostDto'];

async function everyHost(ctx: Context): Promise<Host[]> {
  const client = ctx.client();
  return allPages((cursor) => unwrap(client.GET('/api/v1/hosts', { params: { query: { limit: 200, cursor } } })));
}

async function showPlan(ctx: Context, plan: Plan): Promise<void> {
  if (ctx.format !== 'table') return ctx.print(plan, () => '');
  const client = ctx.client();
  const hosts = await everyHost(ctx);
  const names = new Map<string, string>();
  for (const { instanceId } of plan.skipped.slice(0, 50)) {
    const found = await client.GET('/api/v1/instances/{id}', { params: { path: { id: instanceId } } });
    if (found.data) names.set(instanceId, found.data.name);
  }
  ctx.print(plan, () => drawPlan(plan, hosts, ctx.style, names));
}

async function runPlan(ctx: Context, plan: Plan): Promise<void> {
  if (!ctx.wait) {
    ctx.print(plan, () => `plan ${plan.id} is ${plan.status}\nfollow it: ${ctx.argv0} plan show ${plan.id}`);
    return;
  }
  const names = await hostNames(ctx.client());
  const done = await followPlan(
    ctx,
    plan.id,
    (s) => `${s.instanceName} ${names.get(s.fromHostId) ?? s.fromHostId} → ${names.get(s.toHostId) ?? s.toHostId} (${s.mode})`,
  );
  await showPlan(ctx, done);
}

export const planCommands: Command[] = [
  {
    words: ['plan', 'create'],
    summary: 'Propose a consolidation plan (nothing moves until plan execute)',
    options: {
      host: {
        type: 'string',
        multiple: true,
        value: 'host',
        description: 'only these hosts (repeat; name or id); the whole fleet otherwise',
      },
      'allow-cold': { type: 'boolean', description: 'running guests that cannot live-migrate may move cold' },
      budget: { type: 'string', value: 'n', description: 'at most this many migrations' },
      cooldown: { type: 'string', value: 's', description: 'instances moved less than this many seconds ago stay' },
      'max-utilisation': { type: 'string', value: 'f', description: 'fill hosts to at most this fraction (0.1-1)' },
    },
    example: 'virtfleet plan create --host lv4 --host lv5 --budget 10',
    async run(ctx, v) {
      const client = ctx.client();
      const hostIds = await Promise.all(list(v.host).map((h) => hostId(client, h)));
      const plan = await unwrap(
        client.POST('/api/v1/consolidation/plans', {
          body: {
            hostIds: hostIds.length ? hostIds : undefined,
            allowColdMigration: v['allow-cold'] === true || undefined,
            migrationBudget: int(v.budget, 'budget'),
            cooldownSeconds: int(v.cooldown, 'cooldown'),
            maxUtilisation: num(v['max-utilisation'], 'max-utilisation'),
          },
        }),
      );
      await showPlan(ctx, plan);
      if (ctx.format === 'table' && plan.steps.length) ctx.stdout(`\nexecute it: ${ctx.argv0} plan execute ${plan.id}\n`);
    },
  },
  {
    words: ['plan', 'list'],
    summary: 'List consolidation plans, newest first',
    options: { limit: { type: 'string', value: 'n', description: 'at most this many (default 20)' } },
    example: 'virtfleet plan list --limit 5',
    async run(ctx, v) {
      const limit = int(v.limit, 'limit') ?? 20;
      const client = ctx.client();
      const plans = await allPages(
        (cursor) => unwrap(client.GET('/api/v1/consolidation/plans', { params: { query: { limit: Math.min(limit, 200), cursor } } })),
        limit,
      );
      ctx.print(plans, () =>
        table(
          ['ID', 'STATUS', 'HOSTS', 'MOVES', 'TO MOVE', 'CREATED'],
          plans.map((p) => [
            p.id,
            p.status,
            `${p.hostsBefore} → ${p.hostsAfter}`,
            String(p.migrations),
            mib(p.memoryToMoveMiB),
            p.createdAt,
          ]),
          ctx.style,
        ),
      );
    },
  },
  {
    words: ['plan', 'show'],
    summary: 'Draw a plan: memory per host before and after, and the moves',
    args: ['<plan-id>'],
    example: 'virtfleet plan show 3f0c9a4e-…',
    async run(ctx, _v, [id]) {
      await showPlan(ctx, await unwrap(ctx.client().GET('/api/v1/consolidation/plans/{id}', { params: { path: { id: id! } } })));
    },
  },
  {
    words: ['plan', 'execute'],
    summary: 'Execute a proposed plan and follow its steps',
    args: ['<plan-id>'],
    example: 'virtfleet plan execute 3f0c9a4e-…',
    async run(ctx, _v, [id]) {
      await runPlan(ctx, await unwrap(ctx.client().POST('/api/v1/consolidation/plans/{id}/execute', { params: { path: { id: id! } } })));
    },
  },
  {
    words: ['plan', 'abort'],
    summary: 'Stop an executing plan after its running step',
    args: ['<plan-id>'],
    example: 'virtfleet plan abort 3f0c9a4e-…',
    async run(ctx, _v, [id]) {
      const plan = await unwrap(ctx.client().POST('/api/v1/consolidation/plans/{id}/abort', { params: { path: { id: id! } } }));
      ctx.print(plan, () => `plan ${plan.id} is ${plan.status}`);
    },
  },
  {
    words: ['placement', 'preview'],
    summary: 'Where would an instance of this size go, and why (claims nothing)',
    options: {
      vcpus: { type: 'string', value: 'n', description: 'vCPUs (default 1)' },
      memory: { type: 'string', value: 'MiB', description: 'memory in MiB (default 512)' },
      disk: { type: 'string', value: 'GiB', description: 'disk in GiB' },
      driver: { type: 'string', value: 'kind', description: 'qemu-kvm (default), xen or lxc', choices: DRIVER_KINDS },
      host: { type: 'string', value: 'host', description: 'only consider this host (name or id)' },
      'require-label': { type: 'string', multiple: true, value: 'k=v', description: 'a host label the host must carry' },
      weigher: { type: 'string', value: 'w', description: 'pack or spread', choices: ['pack', 'spread'] },
      limit: { type: 'string', value: 'n', description: 'rank at most this many hosts' },
    },
    example: 'virtfleet placement preview --vcpus 2 --memory 2048 --require-label rack=a',
    async run(ctx, v) {
      const client = ctx.client();
      const host = str(v.host);
      const driverKind = oneOf(v.driver, 'driver', DRIVER_KINDS) ?? 'qemu-kvm';
      const result = await unwrap(
        client.POST('/api/v1/placement/preview', {
          body: {
            driverKind,
            guestType: driverKind === 'lxc' ? 'container' : driverKind === 'xen' ? 'xen-hvm' : 'hvm',
            vcpus: int(v.vcpus, 'vcpus') ?? 1,
            memoryMiB: int(v.memory, 'memory') ?? 512,
            diskGiB: int(v.disk, 'disk'),
            hostId: host ? await hostId(client, host) : undefined,
            requiredHostLabels: labels(v['require-label'], 'require-label'),
            weigher: oneOf(v.weigher, 'weigher', ['pack', 'spread'] as const),
            limit: int(v.limit, 'limit'),
          },
        }),
      );
      ctx.print(result, () =>
        [
          table(
            ['RANK', 'HOST', 'SCORE'],
            result.candidates.map((c, i) => [String(i + 1), c.hostName, c.score.toFixed(3)]),
            ctx.style,
          ),
          ...result.rejections.map((r) => `rejected by ${r.filter}: ${r.count} host${r.count === 1 ? '' : 's'}`),
          ...(result.explanation ? [result.explanation] : []),
        ].join('\n'),
      );
    },
  },
];
