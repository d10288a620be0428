// Unknown API keys cost a database look-up each; a client that sends many of them is limited by
// its address before any look-up, and the caches of verdicts cannot be flooded. Look-ups are
// counted on the statements the process really sends to PostgreSQL.
import { createHash, randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { countQueries, type QueryCounter } from './support/pg-query-counter.js';
import { startTestApp } from './support/test-app.js';

const tag = `f${process.pid.toString(36)}${Date.now().toString(36)}`;
const newKey = () => `vf_${randomBytes(32).toString('base64url')}`;
/** A read of the api_keys table (not the lastUsedAt update a first use sends in the background). */
const KEY_LOOKUP = /^SELECT\b[\s\S]*\bFROM "public"\."api_keys"/;

async function storeKey(app: INestApplication, name: string, role: 'viewer' | 'admin' = 'viewer'): Promise<string> {
  const secret = newKey();
  await app.get(PrismaService).apiKey.create({
    data: {
      name: `${tag}-${name}`,
      role,
      secretHash: createHash('sha256').update(secret).digest('hex'),
      prefix: secret.slice(0, 10),
      createdBy: 'test',
    },
  });
  return secret;
}

describe('failed key checks, limited per client address (proxy trusted on loopback)', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let queries: QueryCounter;
  let seenKey: string;

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', AUTH_FAILURES_PER_MINUTE: '5', TRUST_PROXY: 'loopback' });
    http = request(app.getHttpServer());
    seenKey = await storeKey(app, 'seen');
    queries = countQueries();
  });

  afterAll(async () => {
    queries.restore();
    await app.close();
  });

  const get = (key: string, from: string) =>
    http.get('/api/v1/hosts?limit=1').set('Authorization', `Bearer ${key}`).set('X-Forwarded-For', from);

  it('answers 429 problem+json with Retry-After once an address used up its failures, without a look-up', async () => {
    await get(seenKey, '203.0.113.10').expect(200);
    queries.reset();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await get(newKey(), '203.0.113.10')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    expect(queries.count(KEY_LOOKUP)).toBe(5);
    const limited = await get(newKey(), '203.0.113.10').expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ status: 429, type: 'https://virtfleet.dev/problems/rate-limited' });
    expect(queries.count(KEY_LOOKUP)).toBe(5);
    // The same keys from another address are looked up as usual.
    expect((await get(newKey(), '203.0.113.11')).status).toBe(401);
  });

  it('still admits, from a limited address, a key this process has verified before (even once its cached verdict is stale)', async () => {
    for (let i = 0; i < 6; i++) await get(newKey(), '203.0.113.20');
    expect((await get(newKey(), '203.0.113.20')).status).toBe(429);
    await get(seenKey, '203.0.113.20').expect(200);
    await new Promise((r) => setTimeout(r, 5_200)); // past the 5 s verdict cache: a real look-up again
    queries.reset();
    await get(seenKey, '203.0.113.20').expect(200);
    expect(queries.count(KEY_LOOKUP)).toBe(1);
  });

  it('refuses, from a limited address, a valid key it never saw; other addresses use it', async () => {
    const unseen = await storeKey(app, 'unseen');
    for (let i = 0; i < 6; i++) await get(newKey(), '203.0.113.30');
    expect((await get(unseen, '203.0.113.30')).status).toBe(429);
    await get(unseen, '203.0.113.31').expect(200);
  });

  it('looks a repeated unknown key up once within the cache TTL', async () => {
    const unknown = newKey();
    queries.reset();
    for (let i = 0; i < 3; i++) expect((await get(unknown, '203.0.113.40')).status).toBe(401);
    expect(queries.count(KEY_LOOKUP)).toBe(1);
  });

  it('keeps a valid key cached while unknown keys flood the cache', async () => {
    const keys = app.get(ApiKeysService);
    const valid = await storeKey(app, 'cached');
    // The clock stands still, so the valid key's verdict stays within its TTL however long the flood takes.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    try {
      expect(await keys.verify(valid)).not.toBeNull();
      for (let i = 0; i < 10_050; i++) await keys.verify(newKey());
      queries.reset();
      expect(await keys.verify(valid)).not.toBeNull();
      expect(queries.count(KEY_LOOKUP)).toBe(0);
    } finally {
      clock.mockRestore();
    }
  }, 120_000);
});

describe('X-Forwarded-For without a trusted proxy', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', AUTH_FAILURES_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('is ignored: a client cannot pick a fresh address per request', async () => {
    const http = request(app.getHttpServer());
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await http.get('/api/v1/hosts').set('Authorization', `Bearer ${newKey()}`).set('X-Forwarded-For', `198.51.100.${i}`)).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });
});
