// The audit trail's writer. A mutating request's row is written before the request may act
// (status pending) and completed with the answer's status before the answer leaves: a change
// that committed always has its audit row, whatever dies afterwards (the process, PostgreSQL),
// and every answered request has exactly one row. Under a burst the rows of concurrent
// requests are inserted (and completed) together (CoalescingBatcher): one statement per
// batch, not per request. A completion that meets a database outage is retried in the
// background until the database is back; so is the whole row of a request that was refused
// (503) because its row could not be written up front.
import { Injectable, Logger } from '@nestjs/common';
import { CoalescingBatcher } from '../common/coalescing-batcher.js';
import { retryThroughOutage } from '../common/outage-retry.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../common/problem-details.filter.js';
import { isDataError } from '../prisma/database-errors.js';
import { storableJson, storableText } from '../common/storable.js';
import { eventProvenance } from '../events/events.service.js';
import { type AuditRowValues, completeAuditRows, insertAuditRows } from '../events/events-store.js';
import { PrismaService } from '../prisma/prisma.service.js';

export interface AuditEntry {
  message: string;
  data: Record<string, unknown>;
}

/** A row written ahead of the work, to be completed with the answer. */
export interface AuditTicket {
  id: bigint;
}

type AuditRow = AuditRowValues;

interface AuditCompletion {
  id: bigint;
  message: string;
  data: string;
}

/** How long a completion (or a refused request's row) keeps waiting for the database. */
const OUTAGE_RETRY_MS = 10 * 60_000;
const SHUTDOWN_WAIT_MS = 5_000;

@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);
  private readonly rows: CoalescingBatcher<AuditRow, bigint>;
  private readonly completions: CoalescingBatcher<AuditCompletion, void>;
  private readonly retrying = new Set<Promise<void>>();

  constructor(private readonly prisma: PrismaService) {
    this.rows = new CoalescingBatcher((rows) => this.insert(rows), { isItemError: isDataError });
    this.completions = new CoalescingBatcher((done) => this.complete(done), { isItemError: isDataError });
    prisma.beforeDisconnect(async () => {
      // Rows still waiting for an outage to end get a short last chance, not the whole retry.
      const wait = new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref());
      await Promise.race([Promise.allSettled([...this.retrying]), wait]);
      await Promise.all([this.rows.flush(), this.completions.flush()]);
    });
  }

  /**
   * Write `entry`'s row before the request acts. Throws the 503 domain error when the database
   * cannot be reached: the request must not act without its row.
   */
  async begin(entry: AuditEntry): Promise<AuditTicket> {
    try {
      return { id: await this.rows.submit(this.row(entry)) };
    } catch (error) {
      throw isDatabaseUnavailable(error) ? databaseUnavailable() : error;
    }
  }

  /** Complete a row written by `begin` with what the answer was; never rejects. */
  async finish(ticket: AuditTicket, entry: AuditEntry): Promise<void> {
    const { message, data } = this.row(entry);
    const completion = { id: ticket.id, message, data };
    await this.completions.submit(completion).catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) this.inBackground(() => this.completions.submit(completion), entry);
      else this.logger.error({ msg: 'audit row not completed', message: entry.message, error: String(error) });
    });
  }

  /** Append a complete row (a request answered without a row written ahead); never rejects. */
  async append(entry: AuditEntry): Promise<void> {
    const row = this.row(entry);
    await this.rows.submit(row).then(
      () => undefined,
      (error: unknown) => {
        if (isDatabaseUnavailable(error)) this.inBackground(() => this.rows.submit(row), entry);
        else this.logger.error({ msg: 'audit row not written', message: entry.message, error: String(error) });
      },
    );
  }

  private row(entry: AuditEntry): AuditRow {
    // Who and when are taken now, inside the request; the insert may run after it has ended.
    const { actor, data } = eventProvenance({ data: entry.data });
    return { at: new Date().toISOString(), actor, message: storableText(entry.message), data: JSON.stringify(storableJson(data)) };
  }

  /** Keep writing through the outage, off the request's path. */
  private inBackground(write: () => Promise<unknown>, entry: AuditEntry): void {
    const p = retryThroughOutage(write, { forMs: OUTAGE_RETRY_MS }).then(
      () => undefined,
      (error: unknown) => this.logger.error({ msg: 'audit row not written', message: entry.message, error: String(error) }),
    );
    this.retrying.add(p);
    void p.finally(() => this.retrying.delete(p));
  }

  private insert(rows: AuditRow[]): Promise<bigint[]> {
    return insertAuditRows(this.prisma, rows);
  }

  private async complete(done: AuditCompletion[]): Promise<void[]> {
    await completeAuditRows(this.prisma, done);
    return done.map(() => undefined);
  }
}
