// Boots the real application (real PostgreSQL, real libvirt) for e2e tests.
import { tmpdir } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { JsonLogger } from '../../src/common/json-logger.js';
import { type ContractViolation, conformanceMiddleware, describeViolations } from './openapi-conformance.js';
import { TEST_HOST_SOCKET_DIRS } from './libvirtd.js';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/virtfleet_test';

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    LOG_LEVEL: process.env.VIRTFLEET_TEST_LOG_LEVEL ?? 'error',
    DEMO_HOST_URI: '',
    // Suites share one database; a periodic sweep here would reconcile other suites' hosts.
    // Reconciler tests sweep their own hosts explicitly.
    RECONCILE_INTERVAL_MS: '0',
    // API keys are exercised by test/auth.e2e-spec.ts, which turns them on.
    API_KEYS_REQUIRED: 'false',
    // Simulated hosts are node files in the temp dir; test containers run /bin/sleep on the host's /.
    SIMULATED_HOSTS_DIR: tmpdir(),
    // The private libvirtd's socket besides the system's (host URIs name it with socket=).
    HOST_SOCKET_DIRS: TEST_HOST_SOCKET_DIRS,
    ALLOW_HOST_ROOT_CONTAINERS: 'true',
    // Suites written before overhead charging size hosts to fit guests exactly; the overhead
    // suite (test/overhead-charging.e2e-spec.ts) turns charging on.
    OVERHEAD_CHARGING: 'false',
    ...overrides,
  });
}

/**
 * The app, with every response checked against openapi/openapi.json as it is sent. `close()`
 * (each suite's afterAll) fails the suite when any response broke the documented contract.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<INestApplication> {
  const config = testConfig(overrides);
  const violations: ContractViolation[] = [];
  const app = await createApp(config, new JsonLogger(config.logLevel), {
    firstMiddleware: [conformanceMiddleware((v) => violations.push(v))],
  });
  await app.init();
  // Nest hands out a proxy whose methods cannot be replaced; this one answers `close` itself.
  const checkedClose = async () => {
    await app.close();
    if (violations.length > 0) {
      throw new Error(`responses that openapi/openapi.json does not describe:\n${describeViolations(violations.splice(0))}`);
    }
  };
  return new Proxy(app, { get: (target, prop) => (prop === 'close' ? checkedClose : Reflect.get(target, prop)) });
}
