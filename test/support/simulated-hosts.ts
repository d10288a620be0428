// Simulated physical hosts for breadth tests: each is libvirt's test driver loaded from its own
// node file (test:///<path>), so every host has its own size and its own guests. The pool keeps
// one connection per URI, which keeps that state for the life of the process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = path.join(tmpdir(), `virtfleet-simhosts-${process.pid}`);
let counter = 0;

export function simulatedHostUri(opts: { cpus?: number; memoryMiB?: number } = {}): string {
  mkdirSync(dir, { recursive: true });
  const cpus = opts.cpus ?? 16;
  const memoryKiB = (opts.memoryMiB ?? 32768) * 1024;
  const file = path.join(dir, `host${++counter}-${Math.random().toString(36).slice(2, 8)}.xml`);
  writeFileSync(
    file,
    `<node>
  <cpu><mhz>2600</mhz><model>sim-cpu</model><active>${cpus}</active><nodes>1</nodes><sockets>1</sockets><cores>${cpus}</cores><threads>1</threads></cpu>
  <memory>${memoryKiB}</memory>
</node>
`,
  );
  return `test://${file}`;
}
