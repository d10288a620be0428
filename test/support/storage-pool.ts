// A real directory storage pool on the private libvirtd for guest-storage tests: a unique name
// and directory, created transient (pool-create-as), destroyed and removed afterwards.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { uniqueName } from './libvirtd.js';

const run = promisify(execFile);

export interface TestPool {
  name: string;
  /** The pool's target directory (on this machine: the private libvirtd shares its filesystem). */
  dir: string;
  /** Make libvirt list the directory's entries again (virtfleet refreshes only the allowed pools). */
  refresh(): Promise<void>;
  /** Destroy the pool and remove its directory. */
  remove(): Promise<void>;
}

/** Parent of the test pools' directories; not /tmp, which a daemon may see privately. */
const POOLS_PARENT = '/var/lib/virtfleet-test-pools';

export async function createDirPool(uri: string, prefix = 'vf-pool'): Promise<TestPool> {
  const name = uniqueName(prefix);
  const dir = `${POOLS_PARENT}/${name}`;
  mkdirSync(dir, { recursive: true });
  return startPool(uri, name, dir);
}

/** `pool`'s directory as a pool of the same name on the libvirtd at `uri` (daemons of this machine share its filesystem). */
export function createPoolOn(uri: string, pool: TestPool): Promise<TestPool> {
  return startPool(uri, pool.name, pool.dir);
}

/** A pool named `name` on an existing directory `dir` (removed with it). */
export function createPoolAt(uri: string, name: string, dir: string): Promise<TestPool> {
  return startPool(uri, name, dir);
}

async function startPool(uri: string, name: string, dir: string): Promise<TestPool> {
  await run('virsh', ['-c', uri, 'pool-create-as', name, 'dir', '--target', dir]);
  return {
    name,
    dir,
    async refresh() {
      await run('virsh', ['-c', uri, 'pool-refresh', name]);
    },
    async remove() {
      await run('virsh', ['-c', uri, 'pool-destroy', name]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
