// Event retention (issue #18: the events table grew without bound): events older than
// EVENT_RETENTION_DAYS are deleted in batches, audit events only after AUDIT_RETENTION_DAYS
// (never sooner than the rest), recent ones stay; one replica at a time (advisory lock).
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { EventRetentionJob } from '../src/events/event-retention.job.js';
import { LockId } from '../src/common/advisory-locks.js';
import { loadConfig } from '../src/config/app-config.js';
import { startTestApp, TEST_DATABASE_URL } from './support/test-app.js';
import { countQueries } from './support/pg-query-counter.js';

const tag = `ret${process.pid.toString(36)}${Date.now().toString(36)}`;
const DAY_MS = 24 * 3600 * 1000;

describe('event retention', () => {
  let app: INestApplication;
  let prisma: PrismaService;
  let job: EventRetentionJob;
  const now = new Date();
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

  beforeAll(async () => {
    app = await startTestApp({ EVENT_RETENTION_DAYS: '30', AUDIT_RETENTION_DAYS: '365', EVENT_RETENTION_SCHEDULE: '' });
    prisma = app.get(PrismaService);
    job = app.get(EventRetentionJob);
  });
  afterAll(async () => {
    await prisma.event.deleteMany({ where: { message: { startsWith: tag } } });
    await app.close();
  });

  async function seed(kind: string, label: string, count: number, at: Date): Promise<void> {
    await prisma.event.createMany({ data: Array.from({ length: count }, (_, i) => ({ kind, message: `${tag} ${label} ${i}`, at })) });
  }
  const left = async (label: string) => prisma.event.count({ where: { message: { startsWith: `${tag} ${label} ` } } });

  it('deletes expired events in batches, keeps recent ones and audit events for their longer period', async () => {
    await seed('instance.state', 'old', 2_500, daysAgo(40));
    await seed('drift', 'recent', 300, daysAgo(29));
    await seed('audit', 'old-audit', 200, daysAgo(40));
    await seed('audit', 'ancient-audit', 100, daysAgo(400));
    const queries = countQueries();
    let outcome;
    try {
      outcome = await job.runOnce(now, 1_000);
    } finally {
      queries.restore();
    }
    expect(outcome).toEqual({ ran: true, deleted: 2_500, auditDeleted: 100, batches: 4 });
    // 1,000 + 1,000 + 500 events, then 100 audit events: one short statement per batch.
    expect(queries.count(/^DELETE FROM events/)).toBe(4);
    expect({
      old: await left('old'),
      recent: await left('recent'),
      oldAudit: await left('old-audit'),
      ancientAudit: await left('ancient-audit'),
    }).toEqual({ old: 0, recent: 300, oldAudit: 200, ancientAudit: 0 });
  });

  it('skips its run while another replica holds the retention lock', async () => {
    await seed('instance.state', 'locked-out', 10, daysAgo(40));
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1, hashtext($2))', [LockId.EventRetention, 'events']);
      expect(await job.runOnce(now)).toEqual({ ran: false, why: 'another replica holds the lock' });
      expect(await left('locked-out')).toBe(10);
    } finally {
      await other.end();
    }
    expect(await job.runOnce(now)).toMatchObject({ ran: true, deleted: 10 });
  });

  it('keeps audit events at least as long as the others, and 0 keeps events forever', () => {
    const base = { DATABASE_URL: TEST_DATABASE_URL };
    expect(loadConfig(base).eventRetention).toEqual({ days: 30, auditDays: 365, schedule: '17 * * * *' });
    expect(loadConfig({ ...base, EVENT_RETENTION_DAYS: '90', AUDIT_RETENTION_DAYS: '7' }).eventRetention).toMatchObject({
      days: 90,
      auditDays: 90,
    });
    expect(loadConfig({ ...base, EVENT_RETENTION_DAYS: '10', AUDIT_RETENTION_DAYS: '0' }).eventRetention).toMatchObject({
      days: 10,
      auditDays: 0,
    });
    expect(loadConfig({ ...base, EVENT_RETENTION_DAYS: '0', AUDIT_RETENTION_DAYS: '30' }).eventRetention).toMatchObject({
      days: 0,
      auditDays: 0,
    });
  });

  it('does nothing when retention is disabled (EVENT_RETENTION_DAYS=0)', async () => {
    const keepAll = await startTestApp({ EVENT_RETENTION_DAYS: '0', EVENT_RETENTION_SCHEDULE: '' });
    try {
      await seed('instance.state', 'kept-forever', 5, daysAgo(4_000));
      expect(await keepAll.get(EventRetentionJob).runOnce(now)).toEqual({ ran: false, why: 'retention disabled' });
      expect(await left('kept-forever')).toBe(5);
    } finally {
      await keepAll.close();
    }
  });
});
