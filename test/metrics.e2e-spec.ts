// GET /metrics against the real app: HTTP answers by route pattern, placement claims by
// outcome, and the fleet's capacity and allocations per host as PostgreSQL has them.
import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { waitForOperation } from './support/api.js';

const tag = `m${process.pid.toString(36)}${Date.now().toString(36)}`;

/** The value of the sample `name{labels}` in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

describe('metrics', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const host = `${tag}-h`;

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    await http
      .post('/api/v1/hosts')
      .send({ name: host, uri: simulatedHostUri({ cpus: 4, memoryMiB: 8192 }), driverKind: 'lxc', cpuRatio: 2, labels: { suite: tag } })
      .expect(201);
  });

  afterAll(async () => {
    await app.close();
  });

  const scrape = async () => {
    const res = await http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };

  const create = (name: string, vcpus: number) =>
    http.post('/api/v1/instances').send({
      name: `${tag}-${name}`,
      driverKind: 'lxc',
      vcpus,
      memoryMiB: 64,
      start: false,
      boot: { guestType: 'container', init: '/bin/true' },
      requiredHostLabels: { suite: tag },
    });

  it('counts claims by outcome and shows what they hold on the host', async () => {
    const before = await scrape();
    const placed = sample(before, 'virtfleet_placement_claims_total', { outcome: 'placed' }) ?? 0;
    const refused = sample(before, 'virtfleet_placement_claims_total', { outcome: 'no_valid_host' }) ?? 0;

    const created = await create('a', 3).expect(202);
    await waitForOperation(http, created.body.operationId);
    await create('too-big', 6).expect(409); // 4 vCPUs × 2 = 8, 3 taken: 6 do not fit

    const after = await scrape();
    expect(sample(after, 'virtfleet_placement_claims_total', { outcome: 'placed' })).toBe(placed + 1);
    expect(sample(after, 'virtfleet_placement_claims_total', { outcome: 'no_valid_host' })).toBe(refused + 1);
    expect(sample(after, 'virtfleet_host_capacity_vcpus', { host })).toBe(8);
    expect(sample(after, 'virtfleet_host_capacity_memory_bytes', { host })).toBe(8192 * 1024 ** 2);
    expect(sample(after, 'virtfleet_host_allocated_vcpus', { host })).toBe(3);
    expect(sample(after, 'virtfleet_host_allocated_memory_bytes', { host })).toBe(64 * 1024 ** 2);
    expect(sample(after, 'virtfleet_host_allocated_disk_bytes', { host })).toBe(0);
    // Base units only: no series mixes vCPUs, MiB and GiB under one name.
    expect(after).not.toMatch(/^virtfleet_host_(capacity|allocated)\{/m);
    expect(sample(after, 'virtfleet_hosts', { state: 'enabled' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'virtfleet_hosts', { state: 'standby' })).toBeGreaterThanOrEqual(0); // every state is a sample
    expect(sample(after, 'virtfleet_fleet_read_ok', {})).toBe(1);
    expect(sample(after, 'virtfleet_placement_decision_seconds_count', {})).toBeGreaterThanOrEqual(2);
  });

  it('times HTTP answers by route pattern, not by raw path', async () => {
    const created = await create('b', 1).expect(202);
    await http.get(`/api/v1/instances/${created.body.instance.id}`).expect(200);
    const text = await scrape();
    expect(
      sample(text, 'virtfleet_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/instances', status: '202' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'virtfleet_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/instances/:id', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(created.body.instance.id);
    expect(text).toContain('virtfleet_process_cpu_seconds_total');
  });

  it('times reconciler sweeps and libvirt calls per host, and counts migrations by mode and outcome', async () => {
    const other = `${tag}-h2`;
    const otherUri = simulatedHostUri({ cpus: 4, memoryMiB: 8192 });
    const target = (
      await http
        .post('/api/v1/hosts')
        .send({ name: other, uri: otherUri, driverKind: 'lxc', labels: { suite: tag } })
        .expect(201)
    ).body.id;
    const before = await scrape();
    const sweeps = sample(before, 'virtfleet_reconciler_sweep_duration_seconds_count', { trigger: 'admin' }) ?? 0;
    const cold = sample(before, 'virtfleet_migrations_total', { mode: 'cold', outcome: 'succeeded' }) ?? 0;

    // Scoped to this suite's host: a fleet-wide sweep would reconcile other suites' hosts too.
    await http
      .post('/api/v1/reconciler/sweep')
      .send({ hostIds: [target] })
      .expect(200);
    const created = await create('mig', 1).expect(202);
    await waitForOperation(http, created.body.operationId);
    const moved = await http
      .post(`/api/v1/instances/${created.body.instance.id}/migrate`)
      .send({ mode: 'cold', targetHostId: target })
      .expect(202);
    await waitForOperation(http, moved.body.operationId);

    const after = await scrape();
    expect(sample(after, 'virtfleet_reconciler_sweep_duration_seconds_count', { trigger: 'admin' })).toBeGreaterThanOrEqual(sweeps + 1);
    expect(sample(after, 'virtfleet_libvirt_call_duration_seconds_count', { host: otherUri })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'virtfleet_migrations_total', { mode: 'cold', outcome: 'succeeded' })).toBe(cold + 1);
  });

  it('says which build runs and counts instances by observed and desired state', async () => {
    const text = await scrape();
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(sample(text, 'virtfleet_build_info', { version, node_version: process.versions.node })).toBe(1);
    // This suite's two instances were created with start: false on a simulated host.
    expect(sample(text, 'virtfleet_instances', { observed_state: 'shutoff', desired_state: 'stopped' })).toBeGreaterThanOrEqual(2);
  });
});
