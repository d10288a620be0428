// The server-sent events stream over real HTTP: state changes arrive as they are written, also
// when another process writes them, through one reader of the events table shared by every stream.
import { randomBytes, createHash, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { EVENT_POLL_INTERVAL_MS } from '../src/events/event-stream-hub.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { countQueries } from './support/pg-query-counter.js';
import { startTestApp, TEST_DATABASE_URL } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

const tag = `s${process.pid.toString(36)}${Date.now().toString(36)}`;

/** An open stream whose text accumulates as it arrives. */
interface OpenStream {
  status: number;
  text(): string;
  /** Resolves once the text so far matches `pattern`; rejects after `ms`. */
  waitFor(pattern: RegExp | string, ms?: number): Promise<void>;
  close(): void;
}

async function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers });
  let text = '';
  const waiters = new Set<() => void>();
  if (res.ok) {
    void (async () => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          text += decoder.decode(chunk.value);
          waiters.forEach((w) => w());
        }
      } catch {
        // aborted
      }
    })();
  } else {
    text = await res.text();
  }
  const matches = (p: RegExp | string) => (typeof p === 'string' ? text.includes(p) : p.test(text));
  return {
    status: res.status,
    text: () => text,
    waitFor: (pattern, ms = 15_000) =>
      new Promise<void>((resolve, reject) => {
        if (matches(pattern)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stream never showed ${String(pattern)}; got ${text.slice(-300)}`));
        }, ms);
        const check = () => {
          if (!matches(pattern)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    close: () => abort.abort(),
  };
}

/** Writes an event the way another process would: its own connection, plain SQL. */
async function insertEvent(client: pg.Client, e: { kind: string; message: string; hostId?: string; instanceId?: string }): Promise<string> {
  const r = await client.query<{ id: string }>(
    'INSERT INTO events (kind, message, host_id, instance_id) VALUES ($1, $2, $3, $4) RETURNING id',
    [e.kind, e.message, e.hostId ?? null, e.instanceId ?? null],
  );
  return r.rows[0]!.id;
}

const dataLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as { id: string; message: string });

describe('GET /api/v1/events/stream', () => {
  let app: INestApplication;
  let base: string;
  let writer: pg.Client;

  beforeAll(async () => {
    app = await startTestApp({ EVENT_STREAMS_PER_KEY: '300', EVENT_STREAM_HEARTBEAT_SECONDS: '1' });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    writer = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await writer.connect();
  });

  afterAll(async () => {
    await writer.end();
    await app.close();
  });

  it('streams new events matching the filter as text/event-stream', async () => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/events/stream?kind=host.`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const name = `sse-${process.pid}-${Date.now().toString(36)}`;
    // Give the stream its first poll (it starts after the newest existing event), then act.
    await new Promise((r) => setTimeout(r, 400));
    const created = await fetch(`${base}/api/v1/hosts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, uri: simulatedHostUri(), driverKind: 'lxc' }),
    });
    expect(created.status).toBe(201);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = Date.now() + 10_000;
    while (!text.includes(name) && Date.now() < until) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    abort.abort();
    expect(text).toMatch(/event: host\.registered/);
    const data = text.split('\n').find((l) => l.startsWith('data: ') && l.includes(name))!;
    expect(JSON.parse(data.slice(6))).toMatchObject({ kind: 'host.registered', message: expect.stringContaining(name) });
  });

  it('serves 200 streams with one query per read of new events, not one per stream, and delivers what another connection writes', async () => {
    const hostId = randomUUID();
    const streams = await Promise.all(Array.from({ length: 200 }, () => openStream(`${base}/api/v1/events/stream?hostId=${hostId}`)));
    try {
      expect(new Set(streams.map((s) => s.status))).toEqual(new Set([200]));
      await new Promise((r) => setTimeout(r, 300)); // every stream is set up
      const queries = countQueries(new Set([writer]));
      const started = Date.now();
      try {
        await insertEvent(writer, { kind: 'drift', message: `${tag}-fanout`, hostId });
        await Promise.all(streams.map((s) => s.waitFor(`${tag}-fanout`)));
        await new Promise((r) => setTimeout(r, 500));
        // At most one read per interval for all 200 (plus one at each end); one per stream each
        // interval would be 200 times that.
        const reads = Math.ceil((Date.now() - started) / EVENT_POLL_INTERVAL_MS) + 2;
        expect(queries.count(/\bevents\b/)).toBeLessThanOrEqual(reads);
      } finally {
        queries.restore();
      }
    } finally {
      streams.forEach((s) => s.close());
    }
  }, 60_000);

  it('filters by hostId, instanceId and kind prefix', async () => {
    const [hostA, hostB, instance] = [randomUUID(), randomUUID(), randomUUID()];
    const byHost = await openStream(`${base}/api/v1/events/stream?hostId=${hostA}`);
    const byInstance = await openStream(`${base}/api/v1/events/stream?instanceId=${instance}`);
    const byKind = await openStream(`${base}/api/v1/events/stream?kind=instance.`);
    try {
      await new Promise((r) => setTimeout(r, 300));
      // Written in this order: what a stream should skip comes before what it waits for.
      await insertEvent(writer, { kind: 'host.state', message: `${tag}-hostB`, hostId: hostB });
      await insertEvent(writer, { kind: 'drift', message: `${tag}-drift`, hostId: hostA, instanceId: randomUUID() });
      await insertEvent(writer, { kind: 'instance.state', message: `${tag}-inst`, hostId: hostA, instanceId: instance });
      await Promise.all([byHost.waitFor(`${tag}-inst`), byInstance.waitFor(`${tag}-inst`), byKind.waitFor(`${tag}-inst`)]);
      const mine = (s: OpenStream) =>
        dataLines(s.text())
          .map((e) => e.message)
          .filter((m) => m.startsWith(tag));
      expect(mine(byHost)).toEqual([`${tag}-drift`, `${tag}-inst`]);
      expect(mine(byInstance)).toEqual([`${tag}-inst`]);
      expect(mine(byKind)).toEqual([`${tag}-inst`]);
    } finally {
      [byHost, byInstance, byKind].forEach((s) => s.close());
    }
  });

  it('delivers an event whose transaction commits after a later one', async () => {
    const hostId = randomUUID();
    const stream = await openStream(`${base}/api/v1/events/stream?hostId=${hostId}`);
    const slow = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await slow.connect();
    try {
      await new Promise((r) => setTimeout(r, 300));
      await slow.query('BEGIN');
      const early = await insertEvent(slow, { kind: 'drift', message: `${tag}-early`, hostId });
      const late = await insertEvent(writer, { kind: 'drift', message: `${tag}-late`, hostId });
      expect(BigInt(early)).toBeLessThan(BigInt(late));
      await stream.waitFor(`${tag}-late`);
      await slow.query('COMMIT');
      await stream.waitFor(`${tag}-early`);
      expect(dataLines(stream.text()).map((e) => e.message)).toEqual([`${tag}-late`, `${tag}-early`]);
    } finally {
      stream.close();
      await slow.end();
    }
  });

  it('resumes after a given id with the events already written', async () => {
    const hostId = randomUUID();
    const first = await insertEvent(writer, { kind: 'drift', message: `${tag}-r1`, hostId });
    await insertEvent(writer, { kind: 'drift', message: `${tag}-r2`, hostId });
    const stream = await openStream(`${base}/api/v1/events/stream?hostId=${hostId}&after=${first}`);
    try {
      await stream.waitFor(`${tag}-r2`);
      await insertEvent(writer, { kind: 'drift', message: `${tag}-r3`, hostId });
      await stream.waitFor(`${tag}-r3`);
      expect(dataLines(stream.text()).map((e) => e.message)).toEqual([`${tag}-r2`, `${tag}-r3`]);
    } finally {
      stream.close();
    }
  });

  it('sends a heartbeat comment on an idle stream', async () => {
    const stream = await openStream(`${base}/api/v1/events/stream?hostId=${randomUUID()}`);
    try {
      await stream.waitFor(/^: heartbeat$/m, 5_000);
    } finally {
      stream.close();
    }
  });

  it('keeps streaming after its PostgreSQL connections are cut, and catches up with what was written meanwhile', async () => {
    const hostId = randomUUID();
    const stream = await openStream(`${base}/api/v1/events/stream?hostId=${hostId}`);
    try {
      await insertEvent(writer, { kind: 'drift', message: `${tag}-before`, hostId });
      await stream.waitFor(`${tag}-before`);
      // What a PostgreSQL restart does to the API process: every connection it holds goes away.
      const cut = await writer.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(cut.rowCount).toBeGreaterThanOrEqual(1);
      await insertEvent(writer, { kind: 'drift', message: `${tag}-during`, hostId });
      await stream.waitFor(`${tag}-during`);
      await insertEvent(writer, { kind: 'drift', message: `${tag}-after`, hostId });
      await stream.waitFor(`${tag}-after`);
      expect(dataLines(stream.text()).map((e) => e.message)).toEqual([`${tag}-before`, `${tag}-during`, `${tag}-after`]);
    } finally {
      stream.close();
    }
  });
});

describe('event stream caps', () => {
  let app: INestApplication;
  let base: string;
  const keyA = `vf_${randomBytes(32).toString('base64url')}`;
  const keyB = `vf_${randomBytes(32).toString('base64url')}`;

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', EVENT_STREAMS_PER_KEY: '2', EVENT_STREAMS_MAX: '3' });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    for (const [name, key] of [
      ['a', keyA],
      ['b', keyB],
    ] as const) {
      await app.get(PrismaService).apiKey.create({
        data: {
          name: `${tag}-${name}`,
          role: 'viewer',
          secretHash: createHash('sha256').update(key).digest('hex'),
          prefix: key.slice(0, 10),
          createdBy: 'test',
        },
      });
    }
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 429 problem+json past the streams of one key, and past the streams of the process', async () => {
    const open = (key: string) => openStream(`${base}/api/v1/events/stream`, { authorization: `Bearer ${key}` });
    const a1 = await open(keyA);
    const a2 = await open(keyA);
    const opened = [a1, a2];
    try {
      expect([a1.status, a2.status]).toEqual([200, 200]);
      const a3 = await open(keyA);
      expect(a3.status).toBe(429);
      expect(JSON.parse(a3.text())).toMatchObject({ status: 429, type: 'https://virtfleet.dev/problems/rate-limited' });
      const b1 = await open(keyB);
      opened.push(b1);
      expect(b1.status).toBe(200);
      const b2 = await open(keyB);
      expect(b2.status).toBe(429);
      // A closed stream frees its place.
      a1.close();
      let again: OpenStream | undefined;
      for (let i = 0; i < 50 && again?.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        again = await open(keyA);
        if (again.status === 200) opened.push(again);
      }
      expect(again?.status).toBe(200);
    } finally {
      opened.forEach((s) => s.close());
    }
  });
});
