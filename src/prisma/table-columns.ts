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
}

const tables: TableColumns<string>[] = [];

/** The column list of `table` (registered for the schema test). */
export function tableColumns<F extends string>(table: string, columns: Record<F, string>): TableColumns<F> {
  const list: TableColumns<F> = { table, columns, inserts: new Map() };
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

/** `alias.col AS "field", …`: rows read back in Prisma's shape (field names), whatever the columns are called. */
export function selectFields<F extends string>(table: TableColumns<F>, fields: readonly F[], alias: string): Prisma.Sql {
  return Prisma.raw(fields.map((f) => `${alias}.${table.columns[f]} AS "${f}"`).join(', '));
}
