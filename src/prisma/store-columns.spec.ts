// Holds every store's column lists (table-columns.ts) against prisma/schema.prisma, so that a
// column added to the schema, renamed, or misspelt in a list fails here and not in a statement
// in production. Every *-store.ts module under src/ is loaded, so a new store's lists are held too.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromSqlEnum, toSqlEnum } from './enum-mapping.js';
import { registeredTables } from './table-columns.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..');

interface SchemaColumn {
  field: string;
  column: string;
  /** NOT NULL without a database default: an INSERT must write it. */
  required: boolean;
}

/** The tables of schema.prisma by database name, with their columns; the enums with their values (identifier -> database spelling). */
function readSchema(text: string): { tables: Map<string, SchemaColumn[]>; enums: Map<string, Map<string, string>> } {
  const blocks = [...text.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const models = new Set(blocks.filter((b) => b[1] === 'model').map((b) => b[2]!));
  const enumNames = new Set(blocks.filter((b) => b[1] === 'enum').map((b) => b[2]!));
  const tables = new Map<string, SchemaColumn[]>();
  const enums = new Map<string, Map<string, string>>();
  for (const [, what, name, body] of blocks) {
    const lines = body!
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, '').trim())
      .filter((l) => l !== '');
    if (what === 'enum') {
      enums.set(name!, new Map(lines.map((l) => [l.split(/\s+/)[0]!, /@map\("([^"]+)"\)/.exec(l)?.[1] ?? l.split(/\s+/)[0]!])));
      continue;
    }
    if (lines.includes('@@ignore')) continue;
    const table = lines.map((l) => /^@@map\("([^"]+)"\)/.exec(l)?.[1]).find(Boolean) ?? name!;
    const columns: SchemaColumn[] = [];
    for (const line of lines) {
      if (line.startsWith('@@')) continue;
      const [field, type = '', ...rest] = line.split(/\s+/);
      const base = type.replace(/[?[\]]/g, '');
      if (models.has(base)) continue; // a relation, not a column
      if (!/^(String|Int|BigInt|Float|Decimal|Boolean|DateTime|Json|Bytes|Unsupported)/.test(base) && !enumNames.has(base))
        throw new Error(`schema.prisma: cannot read field ${name}.${field} (${type})`);
      const attributes = rest.join(' ');
      columns.push({
        field: field!,
        column: /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? field!,
        // @updatedAt is Prisma's doing, not the database's: hand-written SQL must write it.
        required: !type.endsWith('?') && !attributes.includes('@default('),
      });
    }
    tables.set(table, columns);
  }
  return { tables, enums };
}

function storeModules(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('-store.ts') && !f.startsWith('generated'))
    .map((f) => join(dir, f));
}

const schema = readSchema(readFileSync(join(src, '..', 'prisma', 'schema.prisma'), 'utf8'));

describe('store column lists against prisma/schema.prisma', () => {
  beforeAll(async () => {
    for (const file of storeModules(src)) await import(file);
  });

  it('the stores register the tables whose rows they write by hand', () => {
    expect(registeredTables().map((t) => t.table)).toEqual(expect.arrayContaining(['instances', 'allocations', 'operations', 'events']));
  });

  it("each list names exactly the table's columns, by Prisma field", () => {
    const problems: string[] = [];
    for (const list of registeredTables()) {
      const columns = schema.tables.get(list.table);
      if (!columns) {
        problems.push(`${list.table}: no such table in schema.prisma`);
        continue;
      }
      const listed = list.columns as Record<string, string>;
      for (const c of columns)
        if (listed[c.field] !== c.column) problems.push(`${list.table}: column ${c.column} (field ${c.field}) is not in the store's list`);
      for (const [field, column] of Object.entries(listed))
        if (!columns.some((c) => c.field === field && c.column === column))
          problems.push(`${list.table}: the list names ${field} -> ${column}, which the schema does not have`);
    }
    expect(problems).toEqual([]);
  });

  it('each hand-written INSERT writes every column that has no database default', () => {
    const problems: string[] = [];
    for (const list of registeredTables()) {
      const columns = schema.tables.get(list.table) ?? [];
      for (const [statement, fields] of list.inserts)
        for (const c of columns)
          if (c.required && !fields.includes(c.field))
            problems.push(`${list.table} (${statement}): ${c.column} has no database default and is not written`);
    }
    expect(problems).toEqual([]);
  });

  it('an INSERT whose row is rebuilt without reading it again writes or reads back every column', () => {
    const problems: string[] = [];
    for (const list of registeredTables()) {
      for (const [statement, readBack] of list.readBack) {
        const covered = new Set([...(list.inserts.get(statement) ?? []), ...readBack]);
        for (const c of schema.tables.get(list.table) ?? [])
          if (!covered.has(c.field)) problems.push(`${list.table} (${statement}): ${c.column} is neither written nor read back`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("enum values are spelt in SQL by one rule: the schema's @map of every value", () => {
    expect(schema.enums.size).toBeGreaterThan(0);
    for (const [name, values] of schema.enums) {
      for (const [identifier, spelling] of values) {
        expect({ enum: name, sql: toSqlEnum(identifier) }).toEqual({ enum: name, sql: spelling });
        expect({ enum: name, identifier: fromSqlEnum(spelling) }).toEqual({ enum: name, identifier });
      }
    }
  });
});
