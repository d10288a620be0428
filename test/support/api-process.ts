// The built API (dist/main.js, as `npm start` runs it) as a child process that a test can kill.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { TEST_HOST_SOCKET_DIRS } from './libvirtd.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ApiProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

/** Where and how the API starts: by default `node dist/main.js` in the current directory. */
export interface ApiLaunch {
  cwd?: string;
  /** Executable and arguments, e.g. an image's CMD; `node dist/main.js` when absent. */
  command?: [string, string[]];
}

export async function startApiProcess(env: Record<string, string>, launch: ApiLaunch = {}): Promise<ApiProcess> {
  if (!existsSync(`${launch.cwd ?? '.'}/dist/main.js`))
    throw new Error('dist/main.js is missing: scripts/test.sh builds it (npx nest build)');
  // A port found free can be taken by another suite's server before the child binds it; then
  // the child exits and, if we only polled the port, the other server would answer for it.
  for (let attempt = 1; ; attempt++) {
    const started = await spawnApi(env, await freePort(), launch);
    if (started !== 'port taken') return started;
    if (attempt === 3) throw new Error('API could not bind a free port three times');
  }
}

async function spawnApi(env: Record<string, string>, port: number, launch: ApiLaunch): Promise<ApiProcess | 'port taken'> {
  let out = '';
  const [file, args] = launch.command ?? [process.execPath, ['dist/main.js']];
  const child = spawn(file, args, {
    cwd: launch.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DEMO_HOST_URI: '',
      HOST_SOCKET_DIRS: TEST_HOST_SOCKET_DIRS,
      OVERHEAD_CHARGING: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  // Up means this child said so (it prints the line after it has bound its port).
  while (!out.includes(`virtfleet is up: API docs at ${baseUrl}/`)) {
    if (child.exitCode !== null) {
      if (/EADDRINUSE/.test(out)) return 'port taken';
      throw new Error(`API exited with ${child.exitCode}: ${out}`);
    }
    if (Date.now() > until) throw new Error(`API did not come up: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, baseUrl, output: () => out };
}

/** SIGKILL: no shutdown hooks, no cleanup — a crash. */
export async function killHard(p: ApiProcess): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGKILL');
  await exited;
}
