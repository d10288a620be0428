// The application with fake hosts (FAKE_HOSTS=true) on a database of its own: service-level
// unit tests drive the real services, the real PostgreSQL and the in-memory fake driver, with
// no libvirt guest anywhere, and act on the fake fleet behind the services' back as an operator
// would on a real host (support/fake-backdoor.ts, FakeFleet's test hooks).
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import { JsonLogger } from '../../src/common/json-logger.js';
import type { FakeFleet } from '../../src/hypervisor/fake/fake-fleet.js';
import { DriversService } from '../../src/hypervisor/hypervisor.module.js';
import { ownDatabase } from './own-database.js';
import { testConfig } from './test-app.js';

export interface FakeApp {
  app: INestApplication;
  fleet: FakeFleet;
  close(): Promise<void>;
}

export async function startFakeApp(prefix: string, overrides: Record<string, string> = {}): Promise<FakeApp> {
  const db = await ownDatabase(prefix, { fromTemplate: true });
  const config = testConfig({ DATABASE_URL: db.url, FAKE_HOSTS: 'true', ...overrides });
  const app = await createApp(config, new JsonLogger(config.logLevel));
  await app.init();
  return {
    app,
    fleet: app.get(DriversService).fakeFleet!,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
