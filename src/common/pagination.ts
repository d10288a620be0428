// Keyset pagination: `cursor` is the last id of the previous page (opaque to clients).
import { Type } from 'class-transformer';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { IsOptional } from './validators.js';

export class PageQuery {
  /** Page size, 1–200. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number = 50;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

/** Prisma arguments for one page ordered by id, fetching one extra row to know if more exist. */
export function pageArgs(q: PageQuery): { take: number; orderBy: { id: 'asc' }; cursor?: { id: string }; skip?: number } {
  const take = (q.limit ?? 50) + 1;
  return q.cursor ? { take, orderBy: { id: 'asc' }, cursor: { id: q.cursor }, skip: 1 } : { take, orderBy: { id: 'asc' } };
}

export function toPage<T extends { id: string }, R>(rows: T[], q: PageQuery, map: (row: T) => R): { items: R[]; nextCursor: string | null } {
  const limit = q.limit ?? 50;
  const items = rows.slice(0, limit);
  return { items: items.map(map), nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
