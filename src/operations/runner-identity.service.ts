// Which process carries out an operation, and whether that process is still alive. Each API
// process takes a session advisory lock on its boot id over a dedicated connection and keeps
// it until it exits; PostgreSQL drops the lock when the process dies (even by SIGKILL). A
// recoverer that can take the same lock knows the runner is gone and its work needs finishing.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LockId } from '../common/advisory-locks.js';

@Injectable()
export class RunnerIdentityService implements OnApplicationShutdown {
  readonly bootId = randomUUID();
  private readonly logger = new Logger('RunnerIdentity');
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client | null> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Take the liveness lock (lazily, so the API still boots when PostgreSQL is down). */
  async ensureRegistered(): Promise<boolean> {
    return (await this.connection()) !== null;
  }

  /** True when `runnerId`'s process is gone: its liveness lock can be taken. */
  async isDead(runnerId: string | null): Promise<boolean> {
    if (runnerId === null) return true;
    if (runnerId === this.bootId) return false;
    const c = await this.connection();
    if (!c) return false;
    const r = await c.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [LockId.Runner, runnerId]);
    if (!r.rows[0]?.got) return false;
    await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LockId.Runner, runnerId]);
    return true;
  }

  /** Released last: while workers drain, other replicas must still see this runner alive. */
  /**
   * A session-level advisory lock for a job, held on this process's dedicated connection (not
   * a pooled one) for as long as the job runs; null when another process holds it or PostgreSQL
   * cannot be reached, or when a run of this process holds it (session locks are re-entrant
   * for the session that holds them, so that is checked here).
   */
  async tryJobLock(id: LockId, name: string): Promise<(() => Promise<void>) | null> {
    const key = `${id}:${name}`;
    if (this.jobLocks.has(key)) return null;
    this.jobLocks.add(key);
    try {
      const c = await this.connection();
      const r = await c?.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [id, name]);
      if (!c || !r?.rows[0]?.got) {
        this.jobLocks.delete(key);
        return null;
      }
      return async () => {
        await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [id, name]).catch(() => undefined);
        this.jobLocks.delete(key);
      };
    } catch (error) {
      this.jobLocks.delete(key);
      throw error;
    }
  }

  /** Job locks held by runs of this process. */
  private readonly jobLocks = new Set<string>();

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.reRegistering) clearTimeout(this.reRegistering);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private reRegistering: NodeJS.Timeout | null = null;

  private reRegister(): void {
    if (this.reRegistering || this.closed) return;
    this.reRegistering = setTimeout(() => {
      this.reRegistering = null;
      void this.connection().then((c) => {
        if (!c) this.reRegister();
      });
    }, 500);
    this.reRegistering.unref();
  }

  private closed = false;

  private connection(): Promise<pg.Client | null> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const c = new pg.Client({ connectionString: this.config.databaseUrl, connectionTimeoutMillis: 3_000 });
      try {
        await c.connect();
        await c.query('SELECT pg_advisory_lock($1, hashtext($2))', [LockId.Runner, this.bootId]);
        c.on('error', (error) => {
          // Connection lost (PostgreSQL restarted): our lock is gone too, and until it is taken
          // again other replicas see this process as dead. Take it again as soon as possible.
          this.logger.warn({ msg: 'liveness connection lost', error: String(error) });
          if (this.client === c) this.client = null;
          this.reRegister();
        });
        this.client = c;
        return c;
      } catch (error) {
        this.logger.warn({ msg: 'cannot register this runner yet', error: String(error) });
        await c.end().catch(() => undefined);
        return null;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }
}
