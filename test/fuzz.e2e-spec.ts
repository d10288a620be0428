// Fuzzing every operation of the committed OpenAPI document against the real application (real
// PostgreSQL, simulated libvirt hosts), with a real admin key: over 10,000 requests from a fixed
// seed, mostly hostile (see test/support/spec-fuzzer.ts). No answer may be a 5xx, and every 4xx
// must be application/problem+json. Writes are confined to this suite's simulated hosts, so the
// valid requests among them do cheap real work and nothing reaches other suites' hosts.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { interleave, operationsOf, SpecFuzzer, type FuzzCase, type SpecOperation } from './support/spec-fuzzer.js';

const SEED = 14_2026;
const TOTAL_CASES = Number(process.env.FUZZ_CASES ?? 10_500);
const CONCURRENCY = 8;
const STREAM_READ_MS = 300;
const tag = `fz${process.pid.toString(36)}${Date.now().toString(36)}`;

interface Answer {
  status: number;
  contentType: string;
  retryAfter?: string;
  body: string;
}

describe('fuzzing the API from its OpenAPI document', () => {
  let app: INestApplication;
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const adminKey = `vf_${randomBytes(32).toString('base64url')}`;
  // Ids that exist, per kind; creates found during the run add to them.
  const ids = {
    hosts: [] as string[],
    victimHost: '',
    drainedHost: '',
    instances: [] as string[],
    operations: [] as string[],
    plans: [] as string[],
    apiKeys: [] as string[],
  };
  let hostUri = '';
  let serial = 0;

  /** One request over the kept-alive agent; an event stream is read for a moment, then dropped. */
  function send(c: { method: string; url: string; headers?: Record<string, string>; body?: Buffer }): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: c.method,
          path: c.url,
          agent,
          timeout: 30_000,
          headers: { authorization: `Bearer ${adminKey}`, ...(c.body ? { 'content-length': String(c.body.length) } : {}), ...c.headers },
        },
        (res) => {
          const contentType = String(res.headers['content-type'] ?? '');
          const retryAfter = res.headers['retry-after'];
          const chunks: Buffer[] = [];
          if (contentType.startsWith('text/event-stream')) {
            // Long enough for the stream's first poll: a failing one used to arrive as `event: error`.
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            setTimeout(() => {
              req.destroy();
              resolve({ status: res.statusCode!, contentType, retryAfter, body: Buffer.concat(chunks).toString('utf8') });
            }, STREAM_READ_MS);
            return;
          }
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, contentType, retryAfter, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', reject);
      req.end(c.body);
    });
  }

  async function json(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const a = await send({
      method,
      url,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    });
    return { status: a.status, body: a.body ? JSON.parse(a.body) : {} };
  }

  beforeAll(async () => {
    // Fuzzing is a burst from one key: the per-key limit would turn most of it into 429s.
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', RATE_LIMIT_PER_MINUTE: '1000000' });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
    await app.get(PrismaService).apiKey.create({
      data: {
        name: `${tag}-admin`,
        role: 'admin',
        secretHash: createHash('sha256').update(adminKey).digest('hex'),
        prefix: adminKey.slice(0, 10),
        createdBy: 'test',
      },
    });
    // a and b take instances; drained is put in maintenance and drained; victim is removed.
    for (const name of ['a', 'b', 'drained', 'victim']) {
      const uri = simulatedHostUri({ cpus: 64, memoryMiB: 262_144 });
      const host = await json('POST', '/api/v1/hosts', { name: `${tag}-${name}`, uri, driverKind: 'lxc', labels: { fuzz: tag } });
      expect(host.status).toBe(201);
      if (name === 'victim') ids.victimHost = host.body.id as string;
      else if (name === 'drained') ids.drainedHost = host.body.id as string;
      else ids.hosts.push(host.body.id as string);
      hostUri ||= uri;
    }
    for (let i = 0; i < 4; i++) {
      const created = await json('POST', '/api/v1/instances', {
        name: `${tag}-i${i}`,
        driverKind: 'lxc',
        vcpus: 1,
        memoryMiB: 64,
        hostId: ids.hosts[i % 2],
        start: i % 2 === 0,
        boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['60'] },
      });
      expect(created.status).toBe(202);
      ids.instances.push((created.body.instance as { id: string }).id);
      ids.operations.push(created.body.operationId as string);
      expect((await json('GET', `/api/v1/operations/${created.body.operationId}?wait=30`)).body.status).toBe('succeeded');
    }
    const plan = await json('POST', '/api/v1/consolidation/plans', { hostIds: ids.hosts, allowColdMigration: true });
    expect(plan.status).toBe(201);
    ids.plans.push(plan.body.id as string);
    for (let i = 0; i < 3; i++) {
      const key = await json('POST', '/api/v1/api-keys', { name: `${tag}-k${i}`, role: 'viewer' });
      expect(key.status).toBe(201);
      ids.apiKeys.push(key.body.id as string);
    }
  }, 120_000);

  afterAll(async () => {
    // Leave this suite's hosts out of other suites' placements.
    for (const id of [...ids.hosts, ids.drainedHost, ids.victimHost])
      await json('POST', `/api/v1/hosts/${id}/maintenance`, { enabled: true }).catch(() => undefined);
    agent.destroy();
    await app.close();
  });

  const pick = <T>(items: readonly T[]): T => items[serial++ % items.length]!;

  /** Existing ids and safe values, so that valid requests reach real work (and only harmless work). */
  function known(operationId: string, where: string, name: string): unknown {
    if (where === 'path') {
      if (operationId === 'Hosts_remove') return ids.victimHost;
      if (/^Hosts_(drain|maintenance)$/.test(operationId)) return ids.drainedHost;
      if (operationId.startsWith('Hosts_')) return pick(ids.hosts);
      if (operationId.startsWith('Instances_')) return pick(ids.instances);
      if (operationId.startsWith('Operations_')) return pick(ids.operations);
      if (operationId.startsWith('Consolidation_')) return pick(ids.plans);
      if (operationId.startsWith('ApiKeys_')) return pick(ids.apiKeys);
    }
    if (where === 'header') return name === 'If-Match' ? '*' : undefined;
    if (where === 'query') {
      // An operation that never ends would hold a worker for a minute.
      if (name === 'wait') return 0;
      if (name === 'hostId') return pick(ids.hosts);
      if (name === 'instanceId') return pick(ids.instances);
      if (name === 'after') return '0';
      if (name === 'kind') return 'instance.';
      return undefined;
    }
    switch (name) {
      case 'name':
      case 'placementGroup.name':
        return () => `${tag}-${++serial}`;
      case 'uri':
        return hostUri;
      case 'driverKind':
        return 'lxc';
      case 'guestType':
        return 'container';
      case 'boot':
        return () => ({ guestType: 'container', init: '/bin/sleep', initArgs: ['60'] });
      case 'hostId':
        return pick(ids.hosts);
      case 'targetHostId':
        return ids.hosts[1];
      case 'hostIds':
        return () => [...ids.hosts];
      case 'timeoutSeconds':
        return 1;
      default:
        return undefined;
    }
  }

  /** Whatever the mutation did, writes stay on this suite's simulated hosts. */
  function confine(operationId: string, body: Record<string, unknown>): Record<string, unknown> {
    if ((operationId === 'Instances_create' || operationId === 'Placement_preview') && !('hostId' in body)) body.hostId = ids.hosts[0];
    if (operationId === 'Instances_migrate' && !('targetHostId' in body)) body.targetHostId = ids.hosts[1];
    // No scope (or an empty one) means the whole fleet, other suites' hosts included.
    if (
      (operationId === 'Consolidation_create' || operationId === 'Reconciler_sweep') &&
      (!('hostIds' in body) || (Array.isArray(body.hostIds) && body.hostIds.length === 0))
    )
      body.hostIds = [...ids.hosts];
    // Only libvirt's test driver: a hostile URI must never make the server dial out.
    if (operationId === 'Hosts_register' && typeof body.uri === 'string' && !body.uri.startsWith('test:')) body.uri = hostUri;
    return body;
  }

  /** Cases per operation: a floor for each, more for operations with more inputs. */
  function plan(operations: SpecOperation[]): Map<SpecOperation, number> {
    const weight = (op: SpecOperation) => 2 + op.parameters.length + (op.body ? 3 + Object.keys(op.body.properties ?? {}).length : 0);
    const total = operations.reduce((sum, op) => sum + weight(op), 0);
    return new Map(operations.map((op) => [op, Math.max(60, Math.ceil((TOTAL_CASES * weight(op)) / total))]));
  }

  it('answers every generated request with a non-5xx, and every 4xx as problem+json', async () => {
    const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8'));
    const operations = operationsOf(spec);
    expect(operations.length).toBeGreaterThan(30);
    const fuzzer = new SpecFuzzer({ seed: SEED, known, confine });
    const counts = plan(operations);
    // Operations interleaved, one case at a time, so each sees the others' effects.
    const queue = interleave(operations.map((op) => fuzzer.casesFor(op, counts.get(op)!)));

    const statuses = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    const elapsed = new Map<string, number>();
    let sent = 0;
    const check = (c: FuzzCase, a: Answer): string | null => {
      // A 503 is an answer, not a fault, where it says so: a health probe reporting a dependency
      // down (a simulated host too slow on a busy machine), or an overload or contention refusal
      // that tells the client when to retry.
      const unavailableOnPurpose = a.status === 503 && (c.operationId.startsWith('Health_') || a.retryAfter !== undefined);
      if (a.status >= 500 && !unavailableOnPurpose) return `${a.status}`;
      if (a.status >= 400) {
        if (!a.contentType.startsWith('application/problem+json')) return `${a.status} as ${a.contentType || 'no content type'}`;
        let problem: { status?: number };
        try {
          problem = JSON.parse(a.body);
        } catch {
          return `${a.status} whose problem+json body is not JSON`;
        }
        if (problem.status !== a.status) return `${a.status} with a problem saying ${problem.status}`;
      }
      if (c.operationId === 'Events_stream' && a.status === 200) {
        if (!a.contentType.startsWith('text/event-stream')) return `200 as ${a.contentType}`;
        if (/^event: error$/m.test(a.body)) return '200 stream carrying an error event';
      }
      return null;
    };
    const worker = async () => {
      for (let next = queue.next(); !next.done; next = queue.next()) {
        const c = next.value;
        sent++;
        let answer: Answer;
        const started = Date.now();
        try {
          answer = await send(c);
          elapsed.set(c.operationId, (elapsed.get(c.operationId) ?? 0) + Date.now() - started);
        } catch (error) {
          failures.push(`${c.operationId} ${c.method} ${c.url.slice(0, 120)} [${c.mutation}]: ${(error as Error).message}`);
          continue;
        }
        const byStatus = statuses.get(c.operationId) ?? new Map<number, number>();
        byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
        statuses.set(c.operationId, byStatus);
        const wrong = check(c, answer);
        if (wrong)
          failures.push(`${c.operationId} ${c.method} ${c.url.slice(0, 120)} [${c.mutation}]: ${wrong} ${answer.body.slice(0, 300)}`);
        else if (answer.status === 202 && c.operationId === 'Instances_create') {
          const body = JSON.parse(answer.body) as { operationId: string; instance: { id: string } };
          ids.instances.push(body.instance.id);
          ids.operations.push(body.operationId);
        }
      }
    };
    // Settle every worker before judging: a request still in flight must not meet a closed app.
    const settled = await Promise.allSettled(Array.from({ length: CONCURRENCY }, worker));
    for (const s of settled) if (s.status === 'rejected') throw s.reason;

    const lines = [...statuses].map(([op, byStatus]) => {
      const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
      return `${op.padEnd(24)} ${String(total).padStart(5)} ${String(Math.round((elapsed.get(op) ?? 0) / total)).padStart(4)} ms  ${[
        ...byStatus,
      ]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`;
    });
    console.log(
      `fuzz: ${sent} requests over ${operations.length} operations (seed ${SEED})\n${lines.join('\n')}${failures.length ? `\n${failures.length} failures, first ones:\n${failures.slice(0, 25).join('\n')}` : ''}`,
    );

    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(statuses.size).toBe(operations.length);
    expect(failures).toEqual([]);
  }, 240_000);
});
