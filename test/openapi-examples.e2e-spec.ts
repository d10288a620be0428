// Every request example in openapi/openapi.json works when sent as Swagger UI's "Try it out" would
// send it: each JSON request body has an explicit example (else Swagger UI makes one up from the
// schema), and sending it to the real app (real PostgreSQL, real libvirt) answers 2xx. Path ids
// are those of the resources the earlier examples created (the longest collection path wins), so
// new endpoints are covered without a list here. A database of its own: the examples use fixed
// names and libvirt's test:///default, which other suites register too.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import { TEST_DATABASE_URL, startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

type Json = Record<string, any>;
const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as Json;

const dbName = `vf_examples_${process.pid}`;
const dbUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}`);
async function onServer(sql: string): Promise<void> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres') });
  await db.connect();
  try {
    await db.query(sql);
  } finally {
    await db.end();
  }
}

interface Example {
  method: string;
  path: string;
  body: unknown;
}

/** Request bodies in spec order; creations (no path parameter) first, deletions never. */
function documentedExamples(): { examples: Example[]; missing: string[] } {
  const examples: Example[] = [];
  const missing: string[] = [];
  for (const [path, item] of Object.entries(spec.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const media = op?.requestBody?.content?.['application/json'];
      if (!media) continue;
      const values = media.example !== undefined ? [media.example] : Object.values((media.examples ?? {}) as Json).map((e) => e.value);
      if (values.length === 0) missing.push(`${method.toUpperCase()} ${path}`);
      for (const body of values) examples.push({ method, path, body });
    }
  }
  const rank = (e: Example) => (e.path.includes('{') ? 1 : 0);
  return { examples: examples.sort((a, b) => rank(a) - rank(b)), missing };
}

function operationIdsIn(body: unknown): string[] {
  if (Array.isArray(body)) return body.flatMap(operationIdsIn);
  if (body === null || typeof body !== 'object') return [];
  return Object.entries(body).flatMap(([k, v]) => (k === 'operationId' && typeof v === 'string' ? [v] : operationIdsIn(v)));
}

describe('documented request examples', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    await onServer(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await onServer(`CREATE DATABASE "${dbName}"`);
    const migrated = spawnSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: dbUrl },
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
    app = await startTestApp({ DATABASE_URL: dbUrl, STORAGE_POOLS: 'default-pool' });
    http = request(app.getHttpServer());
    // Room to move to: a drain or migration example needs another host than the one it leaves (in
    // the rack the examples ask for).
    for (const n of [1, 2]) {
      await http
        .post('/api/v1/hosts')
        .send({ name: `examples-spare-${n}`, uri: simulatedHostUri(), driverKind: 'qemu-kvm', labels: { rack: 'r1' } })
        .expect(201);
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await onServer(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  });

  it('gives every JSON request body an example', () => {
    expect(documentedExamples().missing).toEqual([]);
  });

  it('answers every documented example with 2xx', async () => {
    const created = new Map<string, string>();
    const results: string[] = [];
    for (const { method, path, body } of documentedExamples().examples) {
      // /api/v1/instances/{id}/stop takes the id of what POST /api/v1/instances made.
      const missing: string[] = [];
      const url = path.replace(/\{[^}]+\}/g, (_m, offset: number) => {
        const collection = path.slice(0, offset - 1);
        const id = created.get(collection);
        if (!id) missing.push(collection);
        return id ?? 'missing';
      });
      if (missing.length > 0) {
        results.push(`${method.toUpperCase()} ${path} -> not sent: no example created a resource under ${missing.join(', ')}`);
        continue;
      }
      const res = await (http as any)[method](url).send(body as object);
      results.push(`${method.toUpperCase()} ${path} -> ${res.status}${res.status >= 300 ? ` ${JSON.stringify(res.body)}` : ''}`);
      const id = res.body?.id ?? res.body?.instance?.id;
      if (!path.includes('{') && typeof id === 'string') created.set(path, id);
      // Let the operations an action started (a drain starts several) end before the next example.
      for (const operationId of operationIdsIn(res.body)) await http.get(`/api/v1/operations/${operationId}?wait=30`).expect(200);
    }
    expect(results.filter((r) => !/ -> 2\d\d$/.test(r))).toEqual([]);
  }, 180_000);
});
