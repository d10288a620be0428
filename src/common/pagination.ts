// Keyset pagination, one scheme for every list. A page is `{items, nextCursor}`; the cursor is
// opaque to clients: base64url JSON naming the list, its order and the sort key of the last item
// (a timestamp and/or the id). The next page starts strictly after that key (WHERE, never
// OFFSET), so rows inserted meanwhile neither repeat nor shift a row out of the walk. A cursor
// that does not decode, or was issued by another list or order, is a 400.
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOptional } from './validators.js';
import { ValidationError } from './domain-errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** The `cursor` query parameter of a list (for a query class that cannot extend PageQuery). */
export const CursorParameter = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      description: '`nextCursor` of the previous page (opaque; only valid for the same list and order).',
      maxLength: 512,
    }),
    IsOptional(),
    IsString(),
    MaxLength(512),
  );

export class PageQuery {
  @ApiPropertyOptional({
    description: `Page size, 1–${MAX_PAGE_SIZE}.`,
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    type: 'integer',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number = DEFAULT_PAGE_SIZE;

  @CursorParameter()
  cursor?: string;
}

export type SortOrder = 'asc' | 'desc';

export interface Page<T> {
  items: T[];
  /** null on the last page. */
  nextCursor: string | null;
}

/** A row as a keyset sees it: its id (uuid, or a bigint for events) and, when sorted by time, its creation time. */
interface KeyedRow {
  id: string | bigint;
  createdAt?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BIGINT = /^\d{1,19}$/;
/** PostgreSQL's bigint ends here; a larger key could not even be sent as a parameter. */
const MAX_BIGINT = 9223372036854775807n;

/**
 * How one list is sorted: by id, or by creation time then id (ties broken by id, so the order
 * is total and a key names exactly one position).
 */
export class Keyset {
  constructor(
    /** Named in the cursor, so a cursor of another list is refused. */
    readonly list: string,
    readonly sortBy: 'id' | 'createdAt',
    readonly idType: 'uuid' | 'bigint' = 'uuid',
  ) {}

  /**
   * Prisma arguments for the page after `q.cursor`: a WHERE condition to AND with the list's
   * filters, the order, and one extra row to know whether another page follows.
   */
  args<Where>(q: PageQuery, order: SortOrder): { where: Where; orderBy: Array<Record<string, SortOrder>>; take: number } {
    const take = (q.limit ?? DEFAULT_PAGE_SIZE) + 1;
    const orderBy: Array<Record<string, SortOrder>> = this.sortBy === 'createdAt' ? [{ createdAt: order }, { id: order }] : [{ id: order }];
    if (q.cursor === undefined) return { where: {} as Where, orderBy, take };
    const key = this.decode(q.cursor, order);
    const past = order === 'asc' ? 'gt' : 'lt';
    const id = this.idType === 'bigint' ? BigInt(key.id) : key.id;
    const where =
      key.at === undefined
        ? { id: { [past]: id } }
        : { OR: [{ createdAt: { [past]: key.at } }, { createdAt: key.at, id: { [past]: id } }] };
    return { where: where as Where, orderBy, take };
  }

  /** The page of `rows` (fetched with `args`), mapped, with the cursor of its last row. */
  page<T extends KeyedRow, R>(rows: T[], q: PageQuery, order: SortOrder, map: (row: T) => R): Page<R> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(map), nextCursor: rows.length > limit && last ? this.encode(last, order) : null };
  }

  encode(row: KeyedRow, order: SortOrder): string {
    const key = this.sortBy === 'createdAt' ? [row.createdAt!.toISOString(), String(row.id)] : [String(row.id)];
    return Buffer.from(JSON.stringify({ l: this.list, o: order, k: key })).toString('base64url');
  }

  decode(cursor: string, order: SortOrder): { at?: Date; id: string } {
    const bad = (why: string) =>
      new ValidationError(`cursor is not valid here: ${why}; pass the nextCursor of the previous page of this list unchanged`, {
        cursor: cursor.slice(0, 64),
      });
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw bad('not a cursor of this API');
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw bad('not a cursor of this API');
    }
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw bad('not a cursor of this API');
    const { l, o, k } = decoded as { l?: unknown; o?: unknown; k?: unknown };
    if (l !== this.list) throw bad('it belongs to another list');
    if (o !== order) throw bad(`it was issued for order=${String(o)}`);
    const parts = this.sortBy === 'createdAt' ? 2 : 1;
    if (!Array.isArray(k) || k.length !== parts || !k.every((p) => typeof p === 'string')) throw bad('malformed key');
    const id = k.at(-1) as string;
    if (!(this.idType === 'uuid' ? UUID : BIGINT).test(id)) throw bad('malformed key');
    if (this.idType === 'bigint' && BigInt(id) > MAX_BIGINT) throw bad('malformed key');
    if (parts === 1) return { id };
    const at = new Date(k[0] as string);
    if (Number.isNaN(at.getTime()) || at.toISOString() !== k[0]) throw bad('malformed key');
    return { at, id };
  }
}
