// README's "From a fresh install to a booted guest with its own disk", run as written: the
// shell block is taken from README.md and run by bash against the API listening on a port, with
// only its two settings lines replaced (the private libvirtd, a pool and an admin key of this
// suite). It registers the host, adopts and registers the test image, creates an instance with a
// root disk from it and waits for the guest's init to print its marker on the serial console.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { LIBVIRTD_SOCKET_DIR, QEMU_URI, describeWithLibvirtd, uniqueName } from './support/libvirtd.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { type TestPool, createDirPool } from './support/storage-pool.js';
import { startTestApp } from './support/test-app.js';

const run = promisify(execFile);
const SECTION = '## From a fresh install to a booted guest with its own disk';
const LOGS = `${dirname(LIBVIRTD_SOCKET_DIR)}/log`;

/** The shell block of the README's walk-through, as lines. */
export function readmeWalk(readme: string): string[] {
  const start = readme.indexOf(`${SECTION}\n`);
  if (start < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const section = readme.slice(start, readme.indexOf('\n## ', start + SECTION.length));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`the section "${SECTION}" has no sh block`);
  return block[1].trimEnd().split('\n');
}

describeWithLibvirtd('README walk: fresh install to a guest booted from its own disk (real libvirtd, QEMU/TCG)', () => {
  let db: OwnDatabase;
  let app: INestApplication;
  let pool: TestPool;

  beforeAll(async () => {
    // A daemon started on a fresh log directory has no qemu/ there, and then no guest starts.
    mkdirSync(`${LOGS}/qemu`, { recursive: true });
    pool = await createDirPool(QEMU_URI, 'vf-walk');
    db = await ownDatabase('readme_walk');
    app = await startTestApp({ DATABASE_URL: db.url, STORAGE_POOLS: pool.name, QEMU_ACCELERATION: 'tcg', API_KEYS_REQUIRED: 'true' });
    await app.listen(0, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await pool?.remove();
  });

  it('the README block has its two settings lines first, then only commands', () => {
    const lines = readmeWalk(readFileSync('README.md', 'utf8'));
    expect(lines[0]).toMatch(/^VF=\S+ KEY=\S+ URI=\S+$/);
    expect(lines[1]).toMatch(/^POOL=\S+ POOL_DIR=\S+ LOGS=\S+ NAME=\S+$/);
    expect(lines.slice(2).join('\n')).not.toMatch(/^(VF|KEY|URI|POOL|POOL_DIR|LOGS|NAME)=/m);
  });

  it('runs the README commands as written: the guest prints its marker from the root disk', async () => {
    const { key } = await app.get(ApiKeysService).create('readme-walk', 'admin');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const settings = [
      `VF=http://127.0.0.1:${port}/api/v1 KEY=${key} URI='${QEMU_URI}'`,
      `POOL=${pool.name} POOL_DIR=${pool.dir} LOGS=${LOGS} NAME=${uniqueName('walk')}`,
    ];
    const script = [...settings, ...readmeWalk(readFileSync('README.md', 'utf8')).slice(2)].join('\n');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: process.cwd(), timeout: 400_000 });
    expect(stdout).toMatch(/VIRTFLEET-BOOTED-FROM-DISK [0-9a-f-]{36}/);
  }, 420_000);
});
