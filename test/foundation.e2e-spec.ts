import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { startTestApp } from './support/test-app.js';

describe('foundation e2e (real PostgreSQL + libvirt test:///default)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers liveness without dependencies', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('answers readiness 200 when PostgreSQL and the hypervisors are up', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.info.postgres.status).toBe('up');
    expect(res.body.info.hypervisors.status).toBe('up');
  });

  it('stays ready while one registered host is unreachable, and probes and lists it even when offline', async () => {
    const prisma = app.get(PrismaService);
    const tag = `ready-${Date.now()}`;
    // Written directly: registering through the API probes the host, and this one never answers
    // (the reconciler would have taken it offline: offline hosts are probed too).
    const [reachable, unreachable] = await Promise.all([
      prisma.host.create({
        data: { name: `${tag}-up`, uri: simulatedHostUri(), driverKind: 'qemu_kvm', cpus: 4, memoryMiB: 4096, diskGiB: 10 },
      }),
      prisma.host.create({
        data: {
          name: `${tag}-down`,
          uri: `qemu+tcp://127.0.0.1:1/system?name=${tag}`,
          state: 'offline',
          driverKind: 'qemu_kvm',
          cpus: 4,
          memoryMiB: 4096,
          diskGiB: 10,
        },
      }),
    ]);
    try {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body.info.hypervisors.status).toBe('up');
      expect(res.body.info.hypervisors.hosts[`${tag}-up`].status).toBe('up');
      expect(res.body.info.hypervisors.hosts[`${tag}-down`].status).toBe('down');
      expect(res.body.info.hypervisors.unreachable).toBeGreaterThanOrEqual(1);
    } finally {
      await prisma.host.deleteMany({ where: { id: { in: [reachable.id, unreachable.id] } } });
    }
  });

  it('answers an unknown route with problem+json 404', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not found', instance: '/api/v1/no-such-thing' });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers a malformed JSON body with problem+json 400, not 500', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/hosts')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toBe('The request body is not valid JSON.');
  });

  it('answers an oversized body with problem+json 413', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/hosts')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(300 * 1024) }))
      .expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('keeps a well-formed incoming request id', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').set('x-request-id', 'trace-abc.123');
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
  });

  it('serves the API under /api/v1 and lists hosts', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/hosts').expect(200);
    expect(Array.isArray(res.body.items)).toBe(true);
  });
});

describe('readiness when PostgreSQL is unreachable', () => {
  let app: INestApplication;

  beforeAll(async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    app = await startTestApp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/virtfleet' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 503 problem+json naming postgres as down', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(503);
    expect(res.body.details.postgres.status).toBe('down');
    expect(res.body.details.postgres.message).toMatch(/reach database server at 127\.0\.0\.1:1/);
  });

  it('still answers /metrics, with the fleet marked unread', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toMatch(/^virtfleet_fleet_read_ok 0$/m);
    expect(res.text).toContain('virtfleet_process_cpu_seconds_total');
    expect(res.text).not.toMatch(/^virtfleet_host_capacity_vcpus\{/m);
  });

  it('still answers liveness 200', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });
});
