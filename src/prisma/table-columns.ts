// Column lists of hand-written SQL. Each table a store writes by hand has one list of its
// columns (Prisma field -> database column), written once in that feature's store module;
// the SQL text names columns through it and rows are mapped back through it. A unit test
// (store-columns.spec.ts) holds every list against prisma/schema.prisma: a column added to the
// schema, or misspelt here, fails the test, not a statement in production.
import { Prisma } from '../generated/prisma/client.js';

/** Every column of one table, by Prisma field. */
export interface TableColumns<F extends string> {
  /** The table's database name. */
  readonly table: string;
  /** Prisma field -> database column, for every column of the table. */
  readonly columns: Readonly<Record<F, string>>;
  /** The fields each hand-written INSERT names, by statement (every column without a database default must be one). */
  readonly inserts: ReadonlyMap<string, readonly F[]>;
  /** Inserts whose row is rebuilt in Prisma's shape from the fields written plus these read back: together, every column. */
  readonly readBack: ReadonlyMap<string, readonly F[]>;
}

const tables: TableColumns<string>[] = [];

/** The column list of `table` (registered for the schema test). */
export function tableColumns<F extends string>(table: string, columns: Record<F, string>): TableColumns<F> {
  const list: TableColumns<F> = { table, columns, inserts: new Map(), readBack: new Map() };
  tables.push(list as unknown as TableColumns<string>);
  return list;
}

/**
 * The fields statement `name` inserts into `table`, in order (registered for the schema test,
 * which fails when a column without a database default is left out).
 */
export function insertFields<F extends string, const W extends F>(
  table: TableColumns<F>,
  name: string,
  fields: readonly W[],
): readonly W[] {
  (table.inserts as Map<string, readonly F[]>).set(name, fields);
  return fields;
}

/**
 * The fields insert `name` reads back (RETURNING) to rebuild the whole row without reading it
 * again (registered: the schema test fails unless written and read back cover every column).
 */
export function readBackFields<F extends string, const R extends F>(
  table: TableColumns<F>,
  name: string,
  fields: readonly R[],
): readonly R[] {
  (table.readBack as Map<string, readonly F[]>).set(name, fields);
  return fields;
}

/** Every column list registered so far (by the store modules imported). */
export const registeredTables = (): readonly TableColumns<string>[] => tables;

/** `col_a, col_b, …` for `fields` of `table` (optionally qualified by a table alias). */
export function columnNames<F extends string>(table: TableColumns<F>, fields: readonly F[], alias?: string): Prisma.Sql {
  const prefix = alias ? `${alias}.` : '';
  return Prisma.raw(fields.map((f) => prefix + table.columns[f]).join(', '));
}

/** The values of `fields`, in the same order as `columnNames` names them. */
export function columnValues<W extends string>(fields: readonly W[], values: Readonly<Record<W, Prisma.Sql>>): Prisma.Sql {
  return Prisma.join(fields.map((f) => values[f]));
}

/** `col AS "field", …`: rows read back in Prisma's shape (field names), whatever the columns are called. */
export function selectFields<F extends string>(table: TableColumns<F>, fields: readonly F[], alias?: string): Prisma.Sql {
  const prefix = alias ? `${alias}.` : '';
  return Prisma.raw(fields.map((f) => `${prefix}${table.columns[f]} AS "${f}"`).join(', '));
}

/** `col = value, …` for an UPDATE's SET. */
export function setColumns<F extends string>(table: TableColumns<F>, values: Partial<Readonly<Record<F, Prisma.Sql>>>): Prisma.Sql {
  return Prisma.join(
    (Object.entries(values) as Array<[F, Prisma.Sql]>).map(([f, v]) => Prisma.sql`${Prisma.raw(table.columns[f])} = ${v}`),
  );
}
