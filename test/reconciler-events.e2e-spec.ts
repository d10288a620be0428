// The reconciler driven by libvirt lifecycle events (issue #18): with the periodic sweep ten
// minutes apart, a guest destroyed and started again behind the API's back is seen within
// moments, from the events of the host this replica owns. The host is libvirt's test driver at
// test:///default (shared by every connection in this process, so the binding's changes are
// what the API sees, events included). A database of its own: this replica owns every host there.
import type { INestApplication } from '@nestjs/common';
import * as libvirt from '@unraid/libvirt';
import request from 'supertest';
import { waitForOperation } from './support/api.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { startTestApp } from './support/test-app.js';

const tag = `ev${process.pid.toString(36)}${Date.now().toString(36)}`;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reconciler driven by lifecycle events', () => {
  let database: OwnDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let lv: libvirt.Hypervisor;
  let hostId: string;

  beforeAll(async () => {
    database = await ownDatabase('events');
    // A sweep at boot, then none for ten minutes: whatever is seen after is the events' doing.
    app = await startTestApp({ DATABASE_URL: database.url, RECONCILE_INTERVAL_MS: '600000', HOST_LEASE_MS: '3000' });
    http = request(app.getHttpServer());
    const host = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-h`, uri: `test:///default?suite=${tag}`, driverKind: 'lxc', labels: { suite: tag } })
      .expect(201);
    hostId = host.body.id;
    lv = new libvirt.Hypervisor({ uri: 'test:///default' });
    await lv.connectOpen();
  }, 60_000);

  afterAll(async () => {
    await lv?.connectClose();
    await app?.close();
    await database?.drop();
  });

  const instance = async (id: string) => (await http.get(`/api/v1/instances/${id}`).expect(200)).body;

  it('sees a guest destroyed and started out of band without a sweep', async () => {
    const res = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-g`,
        driverKind: 'lxc',
        vcpus: 1,
        memoryMiB: 64,
        boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['600'] },
        hostId,
      })
      .expect(202);
    expect((await waitForOperation(http, res.body.operationId)).status).toBe('succeeded');
    const id = res.body.instance.id as string;
    // The replica takes the new host at its next lease turn (1 s here) and then watches it.
    await new Promise((r) => setTimeout(r, 3_000));

    await lv.domainDestroy(await lv.domainLookupByUUIDString(id));
    expect(
      await until('the destroy to be observed', async () => {
        const i = await instance(id);
        return i.observedState === 'shutoff' ? i : undefined;
      }),
    ).toMatchObject({ observedState: 'shutoff', desiredState: 'running' });
    const drift = (await http.get(`/api/v1/events?instanceId=${id}&kind=drift`).expect(200)).body.items;
    expect(drift[0].data).toMatchObject({ drift: 'stopped-out-of-band' });

    await lv.domainCreate(await lv.domainLookupByUUIDString(id));
    await until('the start to be observed', async () => ((await instance(id)).observedState === 'running' ? true : undefined));
  }, 120_000);
});
