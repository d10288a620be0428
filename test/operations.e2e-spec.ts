// Starting operations (pending -> running) against real PostgreSQL: starts made at the same
// moment are written together, and each operation still has exactly one starter.
import { randomUUID } from 'node:crypto';
import { OperationsService } from '../src/operations/operations.service.js';
import { RunnerIdentityService } from '../src/operations/runner-identity.service.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { testConfig } from './support/test-app.js';

describe('OperationsService.start', () => {
  const config = testConfig();
  const prisma = new PrismaService(config);
  const operations = new OperationsService(prisma, new RunnerIdentityService(config));
  const created: string[] = [];

  const newOperation = async () => {
    const op = await operations.create(prisma, {
      kind: 'create',
      targetType: 'instance',
      targetId: randomUUID(),
      deadline: new Date(Date.now() + 60_000),
    });
    created.push(op.id);
    return op.id;
  };

  afterAll(async () => {
    await prisma.operation.deleteMany({ where: { id: { in: created } } });
    await prisma.$disconnect();
  });

  it('starts a burst of operations, each exactly once even when asked twice at the same time', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, newOperation));
    const asked = [...ids, ...[...ids].reverse()]; // each asked twice, in one burst
    const answers = await Promise.all(asked.map(async (id) => ({ id, started: await operations.start(id) })));
    for (const id of ids) {
      const mine = answers.filter((a) => a.id === id);
      expect(mine.filter((a) => a.started !== null)).toEqual([{ id, started: { id, kind: 'create' } }]);
    }
    const rows = await prisma.operation.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'running'));
    expect(rows.every((r) => r.startedAt instanceof Date)).toBe(true);
  });

  it('does not start an operation that is no longer pending', async () => {
    const id = await newOperation();
    await prisma.operation.update({ where: { id }, data: { status: 'failed', finishedAt: new Date() } });
    await expect(operations.start(id)).resolves.toBeNull();
    await expect(prisma.operation.findUniqueOrThrow({ where: { id } })).resolves.toMatchObject({ status: 'failed', startedAt: null });
  });
});
