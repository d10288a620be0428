// Responses are what openapi/openapi.json says. Every suite's test app checks each response it
// sends (test/support/openapi-conformance.ts, failing at app.close()); this suite holds the
// checker itself to account and drives the answers that were undocumented or off their schema:
// body-parser 400/413/415, boot validation problems as {path, message}, an instance outside any
// placement group (placementGroup: null), state enums, response headers.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { openApiContract } from './support/openapi-conformance.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { startTestApp } from './support/test-app.js';
import { waitForOperation } from './support/api.js';

const tag = `oc${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('the contract checker', () => {
  const contract = openApiContract();

  it('refuses an undocumented status, an undocumented content type and a body off its schema', () => {
    expect(contract.check('GET', '/api/v1/hosts', 418, 'application/json', '{}')).toMatch(/status 418 is not documented/);
    expect(contract.check('GET', '/api/v1/hosts', 200, 'text/html', '<p>')).toMatch(/content type text\/html is not documented/);
    expect(contract.check('GET', '/api/v1/hosts', 200, 'application/json', '{"items": 3, "nextCursor": null}')).toMatch(/items/);
    expect(
      contract.check(
        'GET',
        '/api/v1/operations/0b6f3c1e-7a8b-4c5d-9e0f-1a2b3c4d5e6f',
        200,
        'application/json',
        JSON.stringify({ status: 'done' }),
      ),
    ).toBeTruthy();
  });

  it('accepts a documented answer and leaves paths outside the spec alone', () => {
    const problem = { type: 'about:blank', title: 'Not found', status: 404, detail: 'x', instance: '/api/v1/hosts/x', requestId: 'r' };
    expect(
      contract.check(
        'GET',
        '/api/v1/hosts/0b6f3c1e-7a8b-4c5d-9e0f-1a2b3c4d5e6f',
        404,
        'application/problem+json; charset=utf-8',
        JSON.stringify(problem),
      ),
    ).toBeNull();
    expect(contract.check('GET', '/api/v1/no-such-route', 404, 'application/problem+json', '{}')).toBeUndefined();
  });
});

describe('answers that openapi/openapi.json used to get wrong', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let hostId = '';

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    hostId = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-h`, uri: simulatedHostUri(), driverKind: 'qemu-kvm', labels: { suite: tag } })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
  });

  it('documents every answer they give, headers included', async () => {
    // Body parser: too large, unsupported charset, malformed JSON.
    await http
      .post('/api/v1/hosts')
      .set('content-type', 'application/json')
      .send(`{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`)
      .expect(413);
    await http.post('/api/v1/hosts').set('content-type', 'application/json; charset=latin1').send('{}').expect(415);
    await http.post('/api/v1/instances').set('content-type', 'application/json').send('{"name":').expect(400);
    // Boot validation names each field.
    const bad = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-bad`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 64,
        boot: { guestType: 'hvm', disks: [{ path: 'rel', format: 'vmdk', bus: 'xen' }] },
      })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^boot\./), message: expect.any(String) })]),
    );
    // An instance in no placement group, through create, get, list and an action.
    const created = await http
      .post('/api/v1/instances')
      .set('Idempotency-Key', `${tag}-k`)
      .send({ name: `${tag}-vm`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId })
      .expect(202);
    expect(created.headers.location).toBe(`/api/v1/operations/${created.body.operationId}`);
    expect(created.headers.etag).toBeDefined();
    expect(created.headers['x-request-id']).toBeDefined();
    expect(created.body.instance.placementGroup).toBeNull();
    expect((await waitForOperation(http, created.body.operationId)).status).toBe('succeeded');
    const got = await http.get(`/api/v1/instances/${created.body.instance.id}`).expect(200);
    expect(got.headers.etag).toBeDefined();
    await http.get(`/api/v1/instances?hostId=${hostId}`).expect(200);
    const stopped = await http.post(`/api/v1/instances/${created.body.instance.id}/force-stop`).expect(202);
    await waitForOperation(http, stopped.body.operationId);
    const deleted = await http.delete(`/api/v1/instances/${created.body.instance.id}`).expect(202);
    await waitForOperation(http, deleted.body.operationId);
    await http.delete(`/api/v1/hosts/${hostId}`);
    // Every one of those answers matched the spec: close() reports any that did not.
    const closing = app.close();
    app = undefined as unknown as INestApplication;
    await expect(closing).resolves.toBeUndefined();
  });
});
