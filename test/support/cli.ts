// The real `virtfleet` binary (bin/virtfleet.mjs over dist-cli/, built by scripts/test.sh) as a
// child process. Asynchronous on purpose: the API under test runs in this same process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CLI_BIN = 'bin/virtfleet.mjs';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  env?: Record<string, string>;
  stdin?: string;
  /** Called with stderr so far on every chunk: a test may signal the child mid-run. */
  onStderr?: (stderr: string, child: ReturnType<typeof spawn>) => void;
  /** Run through util-linux `script`, so stdout and stderr are a terminal (output then merged in stdout). */
  tty?: boolean;
}

export function assertCliBuilt(): void {
  if (!existsSync('dist-cli/cli/virtfleet.js'))
    throw new Error('dist-cli/ is missing: scripts/test.sh builds it (npx tsc -p cli/tsconfig.json)');
}

export function runCli(args: string[], run: CliRun = {}): Promise<CliResult> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...run.env };
  const [file, argv] = run.tty
    ? ['script', ['-qefc', [process.execPath, CLI_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null']]
    : [process.execPath, [CLI_BIN, ...args]];
  const child = spawn(file, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    run.onStderr?.(stderr, child);
  });
  child.stdin.end(run.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
