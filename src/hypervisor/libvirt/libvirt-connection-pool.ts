// One open libvirt connection per host URI, shared by every caller. A call that fails at the
// connection level (daemon restarted, socket closed, timeout) drops the connection so the next
// call reconnects; nothing else ever closes it before shutdown.
import * as libvirt from '@unraid/libvirt';
import { isConnectionLevel, toDomainError } from './libvirt-errors.js';
import { withTimeout } from './with-timeout.js';

export interface LibvirtSession {
  readonly uri: string;
  readonly hypervisor: libvirt.Hypervisor;
}

export class LibvirtConnectionPool {
  private readonly sessions = new Map<string, Promise<LibvirtSession>>();

  constructor(private readonly callTimeoutMs: number) {}

  /** Run `call` on the pooled connection to `uri`, bounded by the call timeout. */
  async run<T>(uri: string, what: string, call: (session: LibvirtSession) => Promise<T>): Promise<T> {
    const session = await this.session(uri);
    try {
      return await withTimeout(`${what} on ${uri}`, this.callTimeoutMs, call(session));
    } catch (error) {
      if (isConnectionLevel(error) || (error as { timeoutMs?: number }).timeoutMs !== undefined) this.drop(uri, session);
      throw toDomainError(error, what);
    }
  }

  /** Open (or reuse) the connection to `uri`. A failed open is not cached. */
  session(uri: string): Promise<LibvirtSession> {
    let pending = this.sessions.get(uri);
    if (!pending) {
      pending = this.open(uri);
      this.sessions.set(uri, pending);
      pending.catch(() => this.sessions.delete(uri));
    }
    return pending;
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map(async (p) => (await p).hypervisor.connectClose()));
  }

  private async open(uri: string): Promise<LibvirtSession> {
    const hypervisor = new libvirt.Hypervisor({ uri });
    try {
      await withTimeout(`connecting to ${uri}`, this.callTimeoutMs, hypervisor.connectOpen());
    } catch (error) {
      throw toDomainError(error, `connecting to ${uri}`);
    }
    return { uri, hypervisor };
  }

  private drop(uri: string, session: LibvirtSession): void {
    const current = this.sessions.get(uri);
    if (!current) return;
    void current.then((s) => {
      if (s !== session) return;
      this.sessions.delete(uri);
      s.hypervisor.connectClose().catch(() => undefined);
    });
  }
}
