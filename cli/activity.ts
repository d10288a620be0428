// virtfleet op list|show|wait|cancel, event tail, key create|list|revoke
import { unwrap, VirtfleetProblemError, type components } from '../clients/typescript/index.js';
import { type Command, type Context, int, str, UsageError } from './command.js';
import { followOperation, type Operation, transferText } from './follow.js';
import { allPages, hostId, instanceId } from './lookup.js';
import { bar, table, toYaml } from './output.js';

type Event = components['schemas']['EventDto'];
const OP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'aborted'] as const;
const ROLES = ['scraper', 'viewer', 'operator', 'admin'] as const;

function opTable(ctx: Context, ops: Operation[]): string {
  return table(
    ['ID', 'KIND', 'STATUS', 'PROGRESS', 'TARGET', 'CREATED'],
    ops.map((o) => [o.id, o.kind, o.status, bar(o.progress / 100), `${o.targetType} ${o.targetId}`, o.createdAt]),
    ctx.style,
  );
}

function opDetail(ctx: Context, o: Operation): string {
  const error = o.error as { title?: string; detail?: string } | null;
  return table(
    ['FIELD', 'VALUE'],
    [
      ['id', o.id],
      ['kind', o.kind],
      ['status', o.status],
      ['progress', `${bar(o.progress / 100)}${transferText(o)}`],
      ['target', `${o.targetType} ${o.targetId}`],
      ['actor', o.actor ?? '-'],
      ['created', o.createdAt],
      ['started', o.startedAt ?? '-'],
      ['finished', o.finishedAt ?? '-'],
      ['error', error ? `${error.title ?? ''}${error.detail ? `: ${error.detail}` : ''}` : '-'],
    ],
    ctx.style,
  );
}

const eventLine = (e: Event) => `${e.at}  ${e.kind.padEnd(20)}  ${e.message}`;

/** Server-sent events through the client (as a byte stream): one callback per event. */
async function streamEvents(
  ctx: Context,
  query: { hostId?: string; instanceId?: string; kind?: string; after?: string },
  onEvent: (e: Event) => void,
): Promise<void> {
  const { data, response } = await ctx.client().GET('/api/v1/events/stream', { params: { query }, parseAs: 'stream' });
  if (!response.ok || !data) await unwrap({ data, error: await response.json().catch(() => undefined), response });
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of data as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const payload = message
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (payload) onEvent(JSON.parse(payload) as Event);
    }
  }
}

export const activityCommands: Command[] = [
  {
    words: ['op', 'list'],
    summary: 'List operations, newest first',
    options: {
      status: { type: 'string', value: 's', description: 'only operations in this status', choices: OP_STATUSES },
      kind: { type: 'string', value: 'k', description: 'only this kind (create, migrate, ...)' },
      instance: { type: 'string', value: 'instance', description: 'only operations on this instance (name or id)' },
      limit: { type: 'string', value: 'n', description: 'at most this many (default 20)' },
    },
    example: 'virtfleet op list --status running',
    async run(ctx, v) {
      const client = ctx.client();
      const limit = int(v.limit, 'limit') ?? 20;
      const instance = str(v.instance);
      const query = {
        status: str(v.status) as (typeof OP_STATUSES)[number] | undefined,
        kind: str(v.kind),
        instanceId: instance ? await instanceId(client, instance) : undefined,
        limit: Math.min(limit, 200),
      };
      const ops = await allPages((cursor) => unwrap(client.GET('/api/v1/operations', { params: { query: { ...query, cursor } } })), limit);
      ctx.print(ops, () => opTable(ctx, ops));
    },
  },
  {
    words: ['op', 'show'],
    summary: 'Show one operation',
    args: ['<op-id>'],
    example: 'virtfleet op show 5b1e…',
    async run(ctx, _v, [id]) {
      const op = await unwrap(ctx.client().GET('/api/v1/operations/{id}', { params: { path: { id: id! } } }));
      ctx.print(op, () => opDetail(ctx, op));
    },
  },
  {
    words: ['op', 'wait'],
    summary: 'Follow an operation to its end (exit 1 if it fails)',
    args: ['<op-id>'],
    example: 'virtfleet op wait 5b1e…',
    async run(ctx, _v, [id]) {
      const op = await followOperation(ctx, id!, `op ${id!.slice(0, 8)}`);
      ctx.print(op, () => opDetail(ctx, op));
    },
  },
  {
    words: ['op', 'cancel'],
    summary: 'Ask a running operation (a live migration) to stop',
    args: ['<op-id>'],
    example: 'virtfleet op cancel 5b1e…',
    async run(ctx, _v, [id]) {
      const op = await unwrap(ctx.client().POST('/api/v1/operations/{id}/cancel', { params: { path: { id: id! } } }));
      ctx.print(op, () => opDetail(ctx, op));
    },
  },
  {
    words: ['event', 'tail'],
    summary: 'The latest events; --follow keeps printing new ones',
    options: {
      follow: { type: 'boolean', short: 'f', description: 'keep the stream open and print events as they happen' },
      host: { type: 'string', value: 'host', description: 'only events of this host (name or id)' },
      instance: { type: 'string', value: 'instance', description: 'only events of this instance (name or id)' },
      kind: { type: 'string', value: 'kind', description: 'only this kind, e.g. instance.state' },
      lines: { type: 'string', short: 'n', value: 'n', description: 'how many past events (default 20)' },
    },
    example: 'virtfleet event tail --host lv2 -f',
    async run(ctx, v) {
      const client = ctx.client();
      const host = str(v.host);
      const instance = str(v.instance);
      const filter = {
        hostId: host ? await hostId(client, host) : undefined,
        instanceId: instance ? await instanceId(client, instance) : undefined,
        kind: str(v.kind),
      };
      const lines = int(v.lines, 'lines') ?? 20;
      if (lines < 0 || lines > 200) throw new UsageError('--lines must be 0-200');
      const page =
        lines > 0
          ? await unwrap(client.GET('/api/v1/events', { params: { query: { ...filter, order: 'desc', limit: lines } } }))
          : { items: [] };
      const past = [...page.items].reverse();
      const emit = (e: Event) =>
        ctx.stdout(`${ctx.format === 'table' ? eventLine(e) : ctx.format === 'json' ? JSON.stringify(e) : `---\n${toYaml(e)}`}\n`);
      if (!v.follow) {
        ctx.print(past, () => past.map(eventLine).join('\n'));
        return;
      }
      past.forEach(emit);
      const latest = past.at(-1)?.id;
      await streamEvents(ctx, { ...filter, after: latest }, emit);
    },
  },
  {
    words: ['key', 'create'],
    summary: 'Create an API key (shown once)',
    args: ['<name>'],
    options: { role: { type: 'string', value: 'role', description: 'scraper, viewer, operator (default) or admin', choices: ROLES } },
    example: 'virtfleet key create ci-deployer --role operator',
    async run(ctx, v, [name]) {
      const role = (str(v.role) ?? 'operator') as (typeof ROLES)[number];
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const key = await unwrap(ctx.client().POST('/api/v1/api-keys', { body: { name: name!, role } }));
      ctx.print(key, () => `${key.key}\n(key ${key.name}, role ${key.role}: shown once, store it now)`);
    },
  },
  {
    words: ['key', 'list'],
    summary: 'List API keys (never their secrets)',
    example: 'virtfleet key list',
    async run(ctx) {
      const client = ctx.client();
      const keys = await allPages((cursor) => unwrap(client.GET('/api/v1/api-keys', { params: { query: { limit: 200, cursor } } })));
      ctx.print(keys, () =>
        table(
          ['NAME', 'ROLE', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'],
          keys.map((k) => [k.name, k.role, k.prefix, k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-']),
          ctx.style,
        ),
      );
    },
  },
  {
    words: ['key', 'revoke'],
    summary: 'Revoke an API key',
    args: ['<key>'],
    example: 'virtfleet key revoke ci-deployer',
    async run(ctx, _v, [ref]) {
      const client = ctx.client();
      const keys = await allPages((cursor) => unwrap(client.GET('/api/v1/api-keys', { params: { query: { limit: 200, cursor } } })));
      const key = keys.find((k) => k.id === ref || (k.name === ref && !k.revokedAt));
      if (!key)
        throw new VirtfleetProblemError({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: `no active API key is named "${ref}"`,
        });
      await unwrap(client.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: key.id } } }));
      ctx.print({ revoked: key.id }, () => `revoked key ${key.name}`);
    },
  },
];
