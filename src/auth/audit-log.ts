// The audit trail's writer. Every write request appends one row; under a burst the rows of
// requests answered meanwhile are inserted together (CoalescingBatcher), so a busy API pays one
// INSERT per batch instead of one per request. Rows are appended after the answer, as before
// batching: the answer is not held hostage by its audit row. Rows still queued at shutdown
// (requests answered while the server was closing) are written before the database
// connection closes.
import { Injectable, Logger } from '@nestjs/common';
import { CoalescingBatcher } from '../common/coalescing-batcher.js';
import { isDataError } from '../common/problem-details.filter.js';
import { eventProvenance } from '../events/events.service.js';
import { PrismaService } from '../prisma/prisma.service.js';

export interface AuditEntry {
  message: string;
  data: Record<string, unknown>;
}

interface AuditRow {
  at: string;
  actor: string;
  message: string;
  data: string;
}

@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);
  private readonly rows: CoalescingBatcher<AuditRow, void>;

  constructor(private readonly prisma: PrismaService) {
    this.rows = new CoalescingBatcher((rows) => this.insert(rows), { isItemError: isDataError });
    prisma.beforeDisconnect(() => this.rows.flush());
  }

  /** Resolves once the row is written; never rejects (a failed row is logged). */
  async append(entry: AuditEntry): Promise<void> {
    // Who and when are taken now, inside the request; the insert may run after it has ended.
    const { actor, data } = eventProvenance({ data: entry.data });
    const row = { at: new Date().toISOString(), actor, message: entry.message, data: JSON.stringify(data) };
    await this.rows.submit(row).catch((error: unknown) =>
      this.logger.error({ msg: 'audit row not written', message: entry.message, error: String(error) }));
  }

  private async insert(rows: AuditRow[]): Promise<void[]> {
    await this.prisma.$executeRaw`
      INSERT INTO events (at, kind, actor, message, data)
      SELECT r.at, 'audit', r.actor, r.message, r.data::jsonb
        FROM unnest(${rows.map((r) => r.at)}::timestamptz[], ${rows.map((r) => r.actor)}::text[],
                    ${rows.map((r) => r.message)}::text[], ${rows.map((r) => r.data)}::text[]) WITH ORDINALITY
             AS r(at, actor, message, data, n)
       ORDER BY r.n`;
    return rows.map(() => undefined);
  }
}
