// Issue #18: hosts that accept a TCP connection and never answer (a hung libvirtd) held every
// libuv thread: with four such opens in flight the close of a timed-out open could never run, so
// no call of the process ever ended again (a sweep, a readiness probe, shutdown). And a caller's
// own short bound (a readiness probe) dropped the connection of a host that was merely slow.
// Such an open holds its thread until libvirt returns, whatever we do (libvirt cannot cancel
// it); the pool keeps two threads free of them and lets at most one wait per host.
import { type Server, type Socket, createServer } from 'node:net';
import { LibvirtConnectionPool, threadPoolSize } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import { isLocallyBusy } from '../src/hypervisor/hypervisor-driver.js';

const CALL_TIMEOUT_MS = 1_500;

describe('libvirt connection pool under hosts that never answer', () => {
  const listeners: Server[] = [];
  const sockets = new Set<Socket>();
  let silentUris: string[] = [];
  let pool: LibvirtConnectionPool;

  beforeAll(async () => {
    for (let i = 0; i < 2 * threadPoolSize(); i++) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      listeners.push(server);
    }
    silentUris = listeners.map((s) => `qemu+tcp://127.0.0.1:${(s.address() as { port: number }).port}/system`);
    pool = new LibvirtConnectionPool(CALL_TIMEOUT_MS);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(listeners.map((server) => new Promise((resolve) => server.close(resolve))));
    await pool.closeAll();
  });

  it('gives every open an answer in bounded time, and the process keeps working', async () => {
    const healthy = await pool.session('test:///default');
    const started = Date.now();
    const outcomes = await Promise.all(
      silentUris.map((uri) =>
        pool
          .run(uri, 'hostname', (s) => s.hypervisor.connectGetHostname())
          .then(
            () => 'answered',
            (error: unknown) => (isLocallyBusy(error) ? 'no slot' : 'timed out'),
          ),
      ),
    );
    // Each open waits at most the call timeout for a slot and the call timeout for libvirt.
    expect(Date.now() - started).toBeLessThan(3 * CALL_TIMEOUT_MS + 1_000);
    expect(outcomes).not.toContain('answered');
    expect(outcomes).toContain('timed out');
    // Opens beyond the slots (libuv's threads less two) were refused as this process's limit, not the host's.
    expect(outcomes).toContain('no slot');
    // Threads are left for everything else: a file read and a call on an open connection still end.
    const fs = await import('node:fs/promises');
    await fs.readFile('/etc/hostname');
    await expect(pool.run('test:///default', 'hostname', (s) => s.hypervisor.connectGetHostname())).resolves.toEqual(expect.any(String));
    expect(pool.isCurrent(healthy)).toBe(true);
    // A host whose open still hangs is not tried again (no second thread for it): refused at once, as the host's failure.
    const again = Date.now();
    const retried = await pool.run(silentUris[0]!, 'hostname', (s) => s.hypervisor.connectGetHostname()).catch((error: unknown) => error);
    expect(Date.now() - again).toBeLessThan(200);
    expect(String(retried)).toMatch(/previous attempt is still waiting/);
    expect(isLocallyBusy(retried)).toBe(false);
  }, 30_000);

  it("keeps the connection when only the caller's own shorter bound ran out", async () => {
    const session = await pool.session('test:///default');
    const slow = pool.run(
      'test:///default',
      'a slow call',
      async (s) => {
        await new Promise((r) => setTimeout(r, 300));
        return s.hypervisor.connectGetHostname();
      },
      50,
    );
    await expect(slow).rejects.toThrow(/did not answer within 50 ms/);
    expect(pool.isCurrent(session)).toBe(true);
    // The call timeout itself still drops a stuck connection.
    const stuck = pool.run('test:///default', 'a stuck call', () => new Promise<never>(() => undefined));
    await expect(stuck).rejects.toThrow(/did not answer within 1500 ms/);
    await new Promise((r) => setImmediate(r));
    expect(pool.isCurrent(session)).toBe(false);
  }, 10_000);
});
