// The TypeScript client is a package another project can install: built with the repo's
// TypeScript to ESM + .d.ts, installed with `npm install <folder>` into a fresh project (offline:
// its one dependency, openapi-fetch, comes from the npm cache and is installed beside it, not
// bundled), then imported by an ESM script and by a type-checked TypeScript file that call the
// running API on 127.0.0.1.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { startTestApp } from './support/test-app.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..');
const clientDir = path.join(repo, 'clients', 'typescript');
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

describe('clients/typescript as an npm package', () => {
  let app: INestApplication;
  let baseUrl: string;
  let project: string;

  beforeAll(async () => {
    app = await startTestApp();
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    project = mkdtempSync(path.join(tmpdir(), 'vf-client-consumer-'));
  });

  afterAll(async () => {
    await app?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("builds to ESM and declarations with the repo's TypeScript", async () => {
    // Child processes, never spawnSync: this process serves the API the consumers call.
    await run(process.execPath, [tsc, '-p', path.join(clientDir, 'tsconfig.json')], { cwd: repo });
    for (const file of ['index.js', 'index.d.ts', 'virtfleet-api.generated.d.ts'])
      expect(existsSync(path.join(clientDir, 'dist', file))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(clientDir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@virtfleet/client',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    });
    expect(Object.keys(pkg.dependencies)).toEqual(['openapi-fetch']);
    // Not bundled: the built code imports openapi-fetch.
    expect(readFileSync(path.join(clientDir, 'dist', 'index.js'), 'utf8')).toMatch(/from ['"]openapi-fetch['"]/);
  }, 120_000);

  it('installs into another project with npm install ./clients/typescript, and calls the API from ESM and typed TypeScript', async () => {
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
    );
    // --install-links: a copy like a registry install, not a symlink into this repository
    // (whose node_modules would then resolve openapi-fetch for it).
    await run('npm', ['install', clientDir, '--install-links', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project,
      timeout: 120_000,
    });
    const installed = path.join(project, 'node_modules', '@virtfleet', 'client');
    expect(existsSync(path.join(installed, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(path.join(project, 'node_modules', 'openapi-fetch', 'package.json'))).toBe(true);

    writeFileSync(
      path.join(project, 'consumer.mjs'),
      `
      import { createVirtfleetClient, unwrap, VirtfleetProblemError } from '@virtfleet/client';
      const client = createVirtfleetClient(process.argv[2]);
      const page = await unwrap(client.GET('/api/v1/hosts', { params: { query: { limit: 1 } } }));
      let problem = null;
      try {
        await unwrap(client.GET('/api/v1/hosts/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }));
      } catch (error) {
        problem = { isProblem: error instanceof VirtfleetProblemError, status: error.status, type: error.type, detail: error.detail, requestId: error.requestId };
      }
      const throwing = createVirtfleetClient(process.argv[2], { throwOnProblem: true });
      const bad = await throwing.GET('/api/v1/hosts', { params: { query: { cursor: 'nope' } } }).then(() => null, (e) => ({ status: e.status, name: e.name }));
      console.log(JSON.stringify({ keys: Object.keys(page).sort(), problem, bad }));
    `,
    );
    const { stdout } = await run(process.execPath, ['consumer.mjs', baseUrl], { cwd: project, timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(out.keys).toEqual(['items', 'nextCursor']);
    expect(out.problem).toMatchObject({ isProblem: true, status: 404, type: 'https://virtfleet.dev/problems/not-found' });
    expect(out.problem.detail).toMatch(/does not exist/);
    expect(out.problem.requestId).toBeTruthy();
    expect(out.bad).toEqual({ status: 400, name: 'VirtfleetProblemError' });

    // The declarations resolve through the package's exports for a TypeScript consumer.
    writeFileSync(
      path.join(project, 'typed.ts'),
      `
      import { createVirtfleetClient, unwrap, VirtfleetProblemError, type components } from '@virtfleet/client';
      const client = createVirtfleetClient('http://127.0.0.1:1');
      export async function firstHostName(): Promise<string | undefined> {
        const page = await unwrap(client.GET('/api/v1/operations', { params: { query: { status: 'running', limit: 5 } } }));
        const op: components['schemas']['OperationDto'] | undefined = page.items[0];
        const hosts = await unwrap(client.GET('/api/v1/hosts'));
        return op ? op.kind : hosts.items[0]?.name;
      }
      export const isMissing = (e: unknown): boolean => e instanceof VirtfleetProblemError && e.status === 404;
    `,
    );
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
          strict: true,
          noEmit: true,
        },
        files: ['typed.ts'],
      }),
    );
    await run(process.execPath, [tsc, '-p', path.join(project, 'tsconfig.json')], { cwd: project, timeout: 120_000 });
  }, 240_000);
});
