// No Docker engine runs here, so the image's runtime stage is reproduced file for file: the
// Dockerfile's build stage assembles /runtime with scripts/runtime-files.sh and its runtime stage
// copies that directory whole; this test runs the same script into a temp directory, starts the
// image's CMD there, and asks the API to do hypervisor work (probing a real libvirtd needs our
// native addon). A file the image lacks fails here as it would in the container.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ApiProcess, killHard, startApiProcess } from './support/api-process.js';
import { describeWithLibvirtd, QEMU_URI } from './support/libvirtd.js';
import { TEST_DATABASE_URL } from './support/test-app.js';

/** The Dockerfile's stages: each FROM starts one, with its instructions (continuations joined). */
export function dockerStages(text: string): { from: string; instructions: string[] }[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: { from: string; instructions: string[] }[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) stages.push({ from: line, instructions: [] });
    else stages.at(-1)?.instructions.push(line);
  }
  return stages;
}

const dbName = `vf_runtime_${process.pid}`;
const dbUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}`);
const adminDb = () => new pg.Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres') });
const ADMIN_KEY = `vf_${'r'.repeat(43)}`;

describe('the Dockerfile', () => {
  const stages = dockerStages(readFileSync('Dockerfile', 'utf8'));
  const runtime = stages.at(-1)!;

  it('copies into the runtime stage only what scripts/runtime-files.sh assembled', () => {
    const copies = runtime.instructions.filter((i) => /^COPY\s/i.test(i));
    expect(copies).toEqual(['COPY --from=build /runtime/ /app/']);
    expect(stages[0]!.instructions.some((i) => /bash scripts\/runtime-files\.sh \/runtime\b/.test(i))).toBe(true);
  });

  it('runs as an unprivileged user with a readiness health check', () => {
    expect(runtime.instructions).toContain('USER virtfleet');
    const health = runtime.instructions.find((i) => i.startsWith('HEALTHCHECK'));
    expect(health).toContain('/health/ready');
  });

  it('keeps secrets, installs and builds out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const path of ['.git', '.env', 'node_modules', 'dist', 'src/generated']) expect(ignored).toContain(path);
  });
});

describeWithLibvirtd('the runtime file set booted as the image runs it (real PostgreSQL, real libvirtd)', () => {
  const root = mkdtempSync(join(tmpdir(), 'virtfleet-runtime-'));
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    execFileSync('bash', ['scripts/runtime-files.sh', root, '--link'], { stdio: 'pipe' });
    const db = adminDb();
    await db.connect();
    await db.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await db.query(`CREATE DATABASE "${dbName}"`);
    await db.end();
    const cmd = dockerStages(readFileSync('Dockerfile', 'utf8'))
      .at(-1)!
      .instructions.find((i) => i.startsWith('CMD'))!;
    const [file, ...args] = JSON.parse(cmd.slice('CMD'.length)) as string[];
    api = await startApiProcess(
      { DATABASE_URL: dbUrl, BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, RECONCILE_INTERVAL_MS: '0', HOME: root },
      { cwd: root, command: [file!, args] },
    );
  }, 120_000);

  afterAll(async () => {
    if (api) await killHard(api);
    rmSync(root, { recursive: true, force: true });
    const db = adminDb();
    await db.connect();
    await db.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await db.end();
  });

  it('holds production dependencies only, and the native addon where the code loads it', () => {
    expect(existsSync(join(root, 'node_modules/@unraid/libvirt/build/Release/libvirt.node'))).toBe(true);
    expect(existsSync(join(root, 'src/hypervisor/libvirt/native/build/Release/virtfleet_libvirt.node'))).toBe(true);
    expect(existsSync(join(root, 'node_modules/ts-jest'))).toBe(false);
    expect(existsSync(join(root, 'node_modules/jest'))).toBe(false);
  });

  it('migrated the database, is ready, and probes a real libvirtd through the native addon', async () => {
    const auth = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
    const ready = await fetch(`${api!.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const res = await fetch(`${api!.baseUrl}/api/v1/hosts`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'image-host', driverKind: 'qemu-kvm', uri: QEMU_URI }),
    });
    const body = (await res.json()) as { libvirtVersion?: string; hypervisorType?: string; detail?: string };
    expect({ status: res.status, detail: body.detail }).toEqual({ status: 201, detail: undefined });
    expect(body.hypervisorType).toBe('QEMU');
    expect(body.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('serves the web console from its static files', async () => {
    const page = await fetch(`${api!.baseUrl}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>virtfleet console<\/title>/);
    expect((await fetch(`${api!.baseUrl}/console/js/main.js`)).status).toBe(200);
  });
});
