// /health/ready answers load balancers without a key, and then says only up or down: host names
// and error texts (socket paths, addresses) are for API keys (viewer or higher).
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';

const tag = `h${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('GET /health/ready with API keys required', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const viewerKey = `vf_${randomBytes(32).toString('base64url')}`;
  let hostId: string;

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true' });
    http = request(app.getHttpServer());
    const prisma = app.get(PrismaService);
    await prisma.apiKey.create({
      data: {
        name: `${tag}-viewer`,
        role: 'viewer',
        secretHash: createHash('sha256').update(viewerKey).digest('hex'),
        prefix: viewerKey.slice(0, 10),
        createdBy: 'test',
      },
    });
    // Never answers: its probe fails with an error text naming the address.
    hostId = (
      await prisma.host.create({
        data: {
          name: `${tag}-down`,
          uri: `qemu+tcp://127.0.0.1:1/system?name=${tag}`,
          state: 'offline',
          driverKind: 'qemu_kvm',
          cpus: 4,
          memoryMiB: 4096,
          diskGiB: 10,
        },
      })
    ).id;
  });

  afterAll(async () => {
    await app.get(PrismaService).host.deleteMany({ where: { id: hostId } });
    await app.close();
  });

  it('without a key: the status of each check only, no host names and no error texts', async () => {
    const res = await http.get('/health/ready');
    expect([200, 503]).toContain(res.status);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(tag);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toMatch(/"message"|"hosts"/);
    const checks = res.status === 200 ? res.body.info : res.body.details;
    expect(checks.postgres).toEqual({ status: 'up' });
    expect(['up', 'down']).toContain(checks.hypervisors.status);
    expect(Object.keys(checks.hypervisors)).toEqual(['status']);
  });

  it('with a viewer key: every host by name, with its error text', async () => {
    const res = await http.get('/health/ready').set('Authorization', `Bearer ${viewerKey}`);
    expect([200, 503]).toContain(res.status);
    const checks = res.status === 200 ? res.body.info : res.body.details;
    expect(checks.hypervisors.hosts[`${tag}-down`]).toMatchObject({ status: 'down', message: expect.any(String) });
  });

  it('with an unknown key: 401, as on any route', async () => {
    expect((await http.get('/health/ready').set('Authorization', `Bearer vf_${randomBytes(32).toString('base64url')}`)).status).toBe(401);
  });
});

describe('GET /health/ready without a key while PostgreSQL is unreachable', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/virtfleet' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 503 problem+json naming postgres down, without the driver error text', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.details.postgres).toEqual({ status: 'down' });
    expect(JSON.stringify(res.body)).not.toContain('127.0.0.1:1');
  });
});
