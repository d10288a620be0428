// One open libvirt connection per host URI, shared by every caller. Each session holds two
// handles on the same host: the npm binding (lifecycle calls) and virtfleet's own addon (the
// calls the binding lacks). A call that fails at the connection level (daemon restarted, socket
// closed, keepalive timeout, call timeout) drops the session so the next call reconnects.
import * as libvirt from '@unraid/libvirt';
import { DependencyUnavailableError, UnprocessableError, ValidationError } from '../../common/domain-errors.js';
import { LOCALLY_BUSY } from '../hypervisor-driver.js';
import { assertWellFormedHostUri } from '../host-connection.js';
import { isConnectionLevel, toDomainError } from './libvirt-errors.js';
import { NativeConnection } from './native-libvirt.js';
import { withTimeout } from './with-timeout.js';

export interface LibvirtSession {
  readonly uri: string;
  readonly hypervisor: libvirt.Hypervisor;
  readonly native: NativeConnection;
  /**
   * Whether both handles see the same guests. True for every daemon; for libvirt's test driver
   * only for test:///default (shared per process) — a test:///<file> URI gives each connection
   * its own private copy of the file's state.
   */
  readonly sharedState: boolean;
}

export function isSimulatedUri(uri: string): boolean {
  return uri.startsWith('test:');
}

export class LibvirtConnectionPool {
  private readonly sessions = new Map<string, Promise<LibvirtSession>>();
  /** The open session per URI (while `sessions` holds it). */
  private readonly opened = new Map<string, LibvirtSession>();
  /** Per URI: calls under way, and when the last one ended (performance.now()). */
  private readonly use = new Map<string, { calls: number; lastUsed: number }>();

  constructor(private readonly callTimeoutMs: number) {}

  /**
   * Run `call` on the pooled connection to `uri`, bounded by `timeoutMs` (the call timeout by
   * default) — waiting for the connection included: a shorter bound than the shared open's own
   * gives up waiting for it without cancelling it for other callers.
   */
  /** Told of every call's duration and failure (the metrics); one observer per pool. */
  private callObserver: ((uri: string, seconds: number, failed: boolean) => void) | null = null;

  observeCalls(observer: (uri: string, seconds: number, failed: boolean) => void): void {
    this.callObserver = observer;
  }

  async run<T>(uri: string, what: string, call: (session: LibvirtSession) => Promise<T>, timeoutMs = this.callTimeoutMs): Promise<T> {
    if (!this.callObserver) return this.runCall(uri, what, call, timeoutMs);
    const started = process.hrtime.bigint();
    let failed = true;
    try {
      const result = await this.runCall(uri, what, call, timeoutMs);
      failed = false;
      return result;
    } finally {
      this.callObserver(uri, Number(process.hrtime.bigint() - started) / 1e9, failed);
    }
  }

  private async runCall<T>(uri: string, what: string, call: (session: LibvirtSession) => Promise<T>, timeoutMs: number): Promise<T> {
    let use = this.use.get(uri);
    if (!use) this.use.set(uri, (use = { calls: 0, lastUsed: 0 }));
    use.calls++;
    try {
      return await this.runCounted(uri, what, call, timeoutMs);
    } finally {
      use.calls--;
      use.lastUsed = performance.now();
    }
  }

  /**
   * Close the connections to URIs `shouldClose` names that no call has used for `idleMs` (a
   * replica keeps connections to the hosts it owns; one opened for an operation on another
   * replica's host is closed once idle).
   */
  closeIdle(shouldClose: (uri: string) => boolean, idleMs: number): number {
    const now = performance.now();
    let closed = 0;
    for (const [uri, pending] of this.sessions) {
      const use = this.use.get(uri);
      if (!shouldClose(uri) || (use && (use.calls > 0 || now - use.lastUsed < idleMs))) continue;
      this.sessions.delete(uri);
      this.use.delete(uri);
      this.opened.delete(uri);
      void pending.then(closeSession, () => undefined);
      closed++;
    }
    return closed;
  }

  /**
   * The session to `uri`, held open (never closed as idle) until `release` is called: for a
   * subscription that lives on the connection (lifecycle events).
   */
  async hold(uri: string): Promise<{ session: LibvirtSession; release: () => void }> {
    let use = this.use.get(uri);
    if (!use) this.use.set(uri, (use = { calls: 0, lastUsed: 0 }));
    use.calls++;
    const held = use;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.calls--;
      held.lastUsed = performance.now();
    };
    try {
      return { session: await withTimeout(`connecting to ${uri}`, this.callTimeoutMs, this.sessionFor(uri)), release };
    } catch (error) {
      release();
      throw toDomainError(error, `connecting to ${uri}`);
    }
  }

  /** Whether `session` is still the pool's open connection to its URI (not dropped or closed since). */
  isCurrent(session: LibvirtSession): boolean {
    return this.opened.get(session.uri) === session;
  }

  /** URIs with an open (or opening) connection. */
  openUris(): string[] {
    return [...this.sessions.keys()];
  }

  private async runCounted<T>(uri: string, what: string, call: (session: LibvirtSession) => Promise<T>, timeoutMs: number): Promise<T> {
    const opening = this.sessionFor(uri);
    const session = timeoutMs < this.callTimeoutMs ? await withTimeout(`connecting to ${uri}`, timeoutMs, opening) : await opening;
    try {
      return await withTimeout(`${what} on ${uri}`, timeoutMs, call(session));
    } catch (error) {
      // A call that outlived the call timeout means the connection is stuck: dropped. One that
      // outlived a shorter bound its caller chose (a readiness probe) says only that the caller
      // would not wait: the connection, and the other calls on it, are kept.
      const timedOut = (error as { extras?: { timeoutMs?: number } }).extras?.timeoutMs !== undefined;
      if (isConnectionLevel(error) || (timedOut && timeoutMs >= this.callTimeoutMs)) {
        this.drop(uri, session);
      }
      throw toDomainError(error, what);
    }
  }

  /**
   * Open (or reuse) the connection to `uri`. A failed open is not cached. Only URIs of the form
   * virtfleet builds (src/hypervisor/host-connection.ts) are opened: the last gate before
   * libvirt, whatever wrote the URI.
   */
  session(uri: string): Promise<LibvirtSession> {
    // A caller holding the session itself (a live migration's source) is not seen by `run`'s
    // count: such a connection is kept open until it drops, never closed as idle.
    const use = this.use.get(uri);
    if (use) use.calls = Infinity;
    else this.use.set(uri, { calls: Infinity, lastUsed: 0 });
    return this.sessionFor(uri);
  }

  private sessionFor(uri: string): Promise<LibvirtSession> {
    let pending = this.sessions.get(uri);
    if (!pending) {
      pending = wellFormed(uri)
        .then(() => this.open(uri))
        .then((s) => {
          if (this.sessions.get(uri) === pending) this.opened.set(uri, s);
          return s;
        });
      this.sessions.set(uri, pending);
      pending.catch(() => {
        if (this.sessions.get(uri) === pending) this.sessions.delete(uri);
      });
    }
    return pending;
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    this.opened.clear();
    await Promise.allSettled(all.map(async (p) => closeSession(await p)));
  }

  /**
   * Opens under way at once. An open to a host that accepts TCP and never answers holds one of
   * libuv's threads until it is closed, and the close needs a thread of its own: with every
   * thread held by such opens, no close (and no other libvirt call, file read or DNS lookup of
   * the process) could ever run. Opens beyond this wait for a slot, inside their time bound.
   */
  private readonly openSlots = new Slots(Math.max(1, threadPoolSize() - 2));

  /**
   * URIs whose last open timed out while libvirt still waits inside it (and holds its thread and
   * slot). Trying such a host again would only hold another thread for nothing: until that open
   * returns, the host is unreachable without asking. So at most one thread waits per host.
   */
  private readonly stillOpening = new Set<string>();

  private async open(uri: string): Promise<LibvirtSession> {
    if (this.stillOpening.has(uri)) {
      throw new DependencyUnavailableError(`connecting to ${uri}: the previous attempt is still waiting for the host to answer`, {
        timeoutMs: this.callTimeoutMs,
      });
    }
    const release = await this.openSlots.acquire(`connecting to ${uri}`, this.callTimeoutMs);
    const nativeCalls: Promise<unknown>[] = [];
    const opening = this.openNow(uri, nativeCalls);
    // The slot is a thread: it is free again when libvirt's own calls have returned, not when
    // we stopped waiting for them.
    void opening
      .catch(() => {
        this.stillOpening.add(uri);
      })
      .then(() => Promise.allSettled(nativeCalls))
      .finally(() => {
        this.stillOpening.delete(uri);
        release();
      });
    return opening;
  }

  /** Opens both handles; every native call it starts is put in `nativeCalls` before it is awaited. */
  private async openNow(uri: string, nativeCalls: Promise<unknown>[]): Promise<LibvirtSession> {
    const hypervisor = new libvirt.Hypervisor({ uri });
    const track = <T>(call: Promise<T>): Promise<T> => {
      nativeCalls.push(call);
      return call;
    };
    const bindingOpen = track(hypervisor.connectOpen());
    try {
      await withTimeout(`connecting to ${uri}`, this.callTimeoutMs, bindingOpen);
    } catch (error) {
      // Not awaited: the close may have to wait for a thread; the open it ends frees its own.
      void track(hypervisor.connectClose()).catch(() => undefined);
      throw toDomainError(error, `connecting to ${uri}`);
    }
    const nativeOpen = track(NativeConnection.open(uri));
    let native: NativeConnection;
    try {
      native = await withTimeout(`connecting to ${uri}`, this.callTimeoutMs, nativeOpen);
    } catch (error) {
      // An open that completes after we gave up must still be closed, or it leaks.
      nativeOpen.then(
        (c) => void c.close().catch(() => undefined),
        () => undefined,
      );
      void hypervisor.connectClose().catch(() => undefined);
      throw toDomainError(error, `connecting to ${uri}`);
    }
    const session: LibvirtSession = { uri, hypervisor, native, sharedState: !isSimulatedUri(uri) || /^test:\/\/\/default(\?|$)/.test(uri) };
    // Keepalive or EOF noticed by libvirt: forget the session now rather than on the next failure.
    native.onClose(() => this.drop(uri, session));
    return session;
  }

  private drop(uri: string, session: LibvirtSession): void {
    const current = this.sessions.get(uri);
    if (!current) return;
    void current.then(
      (s) => {
        if (s !== session) return;
        this.sessions.delete(uri);
        this.use.delete(uri);
        this.opened.delete(uri);
        void closeSession(s);
      },
      () => undefined,
    );
  }
}

async function wellFormed(uri: string): Promise<void> {
  try {
    assertWellFormedHostUri(uri);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new UnprocessableError(`not connecting: ${error.message}; register the host again with a structured connection`, { uri });
  }
}

/** libuv's worker threads in this process (UV_THREADPOOL_SIZE, 4 unless set before start). */
export function threadPoolSize(): number {
  const asked = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(asked) && asked > 0 ? Math.min(asked, 1024) : 4;
}

/** A counting semaphore whose waiters give up after a time bound. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(what: string, timeoutMs: number): Promise<() => void> {
    if (this.free > 0) {
      this.free--;
      return this.releaser();
    }
    let granted!: () => void;
    const turn = new Promise<void>((resolve) => (granted = resolve));
    this.waiting.push(granted);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([turn.then(() => 'granted' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const at = this.waiting.indexOf(granted);
      if (at >= 0) this.waiting.splice(at, 1);
      // Granted just as the time ran out: hand the slot on.
      else this.releaser()();
      throw new DependencyUnavailableError(
        `${what}: no connection slot of this process came free within ${timeoutMs} ms (opens to unresponsive hosts hold them)`,
        { timeoutMs, [LOCALLY_BUSY]: true },
      );
    }
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

async function closeSession(s: LibvirtSession): Promise<void> {
  await Promise.allSettled([s.hypervisor.connectClose(), s.native.close()]);
}
