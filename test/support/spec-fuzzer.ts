// Requests generated from the committed OpenAPI document: for every operation a valid request
// (from the schemas, with values the test supplies where only it knows them: ids, safe URIs),
// then one hostile change to it: a field of the wrong type, a number out of any range, unicode
// edge cases (lone surrogates, NUL, RTL), very long strings, deep or wide JSON, extra or missing
// properties, broken bodies and content types, bad path ids and query values. Deterministic for
// a seed, so a failure can be replayed.

// ---------------------------------------------------------------- the spec, as far as we need it

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  allOf?: Schema[];
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. /api/v1/hosts/{id}. */
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, resolved; undefined when the operation takes no body. */
  body?: Schema;
}

interface OpenApi {
  paths: Record<
    string,
    Record<string, { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
}

/** Every operation of the document, with $refs and single-member allOfs resolved. */
export function operationsOf(spec: OpenApi): SpecOperation[] {
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) return resolve(spec.components.schemas[schema.$ref.replace('#/components/schemas/', '')]!);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]!);
    return {
      ...schema,
      ...(schema.properties ? { properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v)])) } : {}),
      ...(schema.items ? { items: resolve(schema.items) } : {}),
      ...(typeof schema.additionalProperties === 'object' ? { additionalProperties: resolve(schema.additionalProperties) } : {}),
    };
  };
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const json = op.requestBody?.content['application/json']?.schema;
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: json ? resolve(json) : undefined,
      };
    }),
  );
}

// ---------------------------------------------------------------- seeded randomness

/** mulberry32: small, fast, good enough to spread cases; the same seed gives the same cases. */
export class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------- hostile values

/** Written into the JSON text as is: numbers JSON.stringify cannot produce. */
class RawJson {
  constructor(readonly text: string) {
    Object.freeze(this);
  }
}

const LONG = 'x'.repeat(100_000);

/** Strings that break naive handling: encodings, lengths, numbers in disguise, injections. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t',
  '\r\n',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  // numbers in disguise
  '-1',
  '0',
  '-0',
  '1.5',
  '1e3',
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b11',
  ' 7',
  '7 ',
  '+5',
  '١٢٣',
  '9999999999999999999',
  '99999999999999999999999999999999',
  '-9223372036854775809',
  '9223372036854775808',
  '1'.repeat(400),
  // unicode edge cases
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\udc00\ud800',
  '😀\ud83d',
  '\u202eevil',
  '\u200f\u200e',
  '\ufeffbom',
  '\uffff',
  '\ufffe',
  'e\u0301\u0301\u0301',
  '😀',
  '𝕏',
  '\u2028\u2029',
  '\u0007\u001b[31m',
  '\u007f',
  'Ω≈ç√',
  'ﷺ',
  '\u00a0',
  // lengths
  'a'.repeat(64),
  'a'.repeat(256),
  'a'.repeat(1025),
  'a'.repeat(10_000),
  LONG,
  // injections and paths
  "'; DROP TABLE hosts; --",
  '<script>alert(1)</script>',
  ']]></x>',
  '&amp;',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '%00',
  '%s%n',
  '../../etc/passwd',
  '/',
  '\\',
  '..',
  '__proto__',
  'constructor',
  'qemu+ssh://',
  'test:///../../etc/passwd',
];

/** JSON values of every type and magnitude, for a field whatever its schema. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  -(2 ** 63),
  1e-320,
  4097,
  16777217,
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('99999999999999999999999999999'),
  new RawJson('-0'),
  new RawJson('1.00000000000000000001'),
  [],
  [null],
  [1, 'a', {}],
  {},
  { a: 1 },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
  ...HOSTILE_STRINGS,
];

/** Path ids: not UUIDs, traversal, encodings that decode badly, NUL. Already URL-encoded. */
export const HOSTILE_PATH_IDS: readonly string[] = [
  'x',
  '0',
  '-1',
  '1.5',
  'null',
  'undefined',
  '%00',
  'a%00b',
  '..',
  '%2e%2e',
  '..%2f..%2fetc',
  '%2F',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '%E2%80%AE',
  'a'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '123e4567-e89b-12d3-a456-42661417400',
  '123e4567-e89b-12d3-a456-4266141740000',
  '{123e4567-e89b-12d3-a456-426614174000}',
  '%20',
  '~',
  '%3Cscript%3E',
  '9999999999999999999',
  encodeURIComponent("'; DROP TABLE hosts; --"),
];

const JSON_TYPE = 'application/json';
const nested = (n: number, closed: boolean) => `${'['.repeat(n)}${closed ? ']'.repeat(n) : ''}`;
const raw = (label: string, text: string | Buffer, contentType = JSON_TYPE) => ({
  kind: 'raw' as const,
  bytes: Buffer.from(text),
  contentType,
  label,
});

/** Whole bodies in place of the valid one; built once (some are large), never changed. */
const RAW_BODIES = [
  raw('125,000 open [', nested(125_000, false)),
  raw('50,000 nested [] (closed)', `{"a":${nested(50_000, true)}}`),
  raw('33 nested objects', `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`),
  raw('30 nested objects (under the limit)', `${'{"a":'.repeat(30)}1${'}'.repeat(30)}`),
  raw('25,000 elements', JSON.stringify(Array(25_000).fill(0))),
  raw('15,000 properties', JSON.stringify(Object.fromEntries(Array.from({ length: 15_000 }, (_, i) => [`k${i}`, i])))),
  raw('over the body limit', `"${'a'.repeat(300 * 1024)}"`),
  raw('truncated JSON', '{"name": '),
  raw('JSON5', '{name: 1}'),
  raw('NaN literal', '{"a": NaN}'),
  raw('empty JSON body', ''),
  raw('invalid UTF-8 bytes', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d])),
  raw('raw NUL in a string', '{"a":"\u0000"}'),
  raw('unsupported charset', '{"a":1}', 'application/json; charset=utf-7'),
  raw('utf-16 body', Buffer.from('{"a":1}', 'utf16le'), 'application/json; charset=utf-16'),
  raw('form body', 'a=1&b=2', 'application/x-www-form-urlencoded'),
  raw('text body', 'hello', 'text/plain'),
  raw('xml body', '<a/>', 'application/xml'),
  raw('+json body', '{"a":1}', 'application/merge-patch+json'),
];

/** JSON values of the wrong shape for any body; fresh each time, since a case may change them. */
const JSON_BODIES: (() => unknown)[] = [() => null, () => [], () => 'string', () => 42, () => true, () => ({}), () => [{}]];

// ---------------------------------------------------------------- cases

export interface FuzzCase {
  operationId: string;
  method: string;
  /** Path and query, URL-encoded, ready to send. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was done to the valid request, for the report. */
  mutation: string;
}

/** Values only the test knows (ids that exist, URIs that are safe); undefined: generate one. */
export type KnownValue = (operationId: string, where: 'path' | 'query' | 'header' | 'body', name: string) => unknown;

export interface FuzzerOptions {
  seed: number;
  known: KnownValue;
  /**
   * The last word on a case before it is sent, for the test's safety rules (e.g. keep creates on
   * simulated hosts): gets the body when it is still an object, returns it (changed or not).
   */
  confine?: (operationId: string, body: Record<string, unknown>) => Record<string, unknown>;
}

type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; bytes: Buffer; contentType: string; label: string } | { kind: 'none' };

interface Draft {
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body: Body;
  mutation: string;
}

export class SpecFuzzer {
  private readonly rng: Rng;
  private serial = 0;

  constructor(private readonly options: FuzzerOptions) {
    this.rng = new Rng(options.seed);
  }

  /**
   * `count` cases for `op`: one in ten left valid, the rest with one hostile change each, or two
   * (one in five of those), so a bad value also meets a bad path, header or body.
   */
  *casesFor(op: SpecOperation, count: number): Generator<FuzzCase> {
    for (let i = 0; i < count; i++) {
      const draft = this.validDraft(op);
      if (i % 10 !== 0) {
        this.mutate(op, draft);
        if (this.rng.chance(0.2)) {
          const first = draft.mutation;
          this.mutate(op, draft);
          draft.mutation = `${first}; ${draft.mutation}`;
        }
      }
      yield this.render(op, draft);
    }
  }

  // ---- valid requests

  /** The test's value for a field; a function is called, so each case can get a fresh one. */
  private known(operationId: string, where: 'path' | 'query' | 'header' | 'body', name: string): unknown {
    const value = this.options.known(operationId, where, name);
    return typeof value === 'function' ? (value as () => unknown)() : value;
  }

  /** A random UUID from the seeded generator (version 4 layout). */
  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.rng.int(16).toString(16));
    hex[12] = '4';
    hex[16] = '89ab'[this.rng.int(4)]!;
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  private validDraft(op: SpecOperation): Draft {
    const draft: Draft = { path: {}, query: [], headers: {}, body: { kind: 'none' }, mutation: 'valid' };
    for (const p of op.parameters) {
      const known = this.known(op.operationId, p.in, p.name);
      if (p.in === 'path')
        draft.path[p.name] = encodeURIComponent(String(known ?? this.validValue(p.schema ?? {}, op.operationId, 'path', p.name)));
      else if (known === undefined && !p.required && this.rng.chance(0.5)) continue;
      else if (p.in === 'query')
        draft.query.push([p.name, String(known ?? this.validValue(p.schema ?? {}, op.operationId, 'query', p.name))]);
      else if (known !== undefined) draft.headers[p.name] = String(known);
    }
    if (op.body) draft.body = { kind: 'json', value: this.validValue(op.body, op.operationId, 'body', '') };
    return draft;
  }

  private validValue(schema: Schema, operationId: string, where: 'path' | 'query' | 'header' | 'body', name: string): unknown {
    const known = name ? this.known(operationId, where, name) : undefined;
    if (known !== undefined) return known;
    if (schema.enum) return this.rng.pick(schema.enum);
    if (schema.example !== undefined && typeof schema.example !== 'object') return schema.example;
    switch (schema.type) {
      case 'number':
      case 'integer': {
        const min = schema.minimum ?? 0;
        const max = Math.min(schema.maximum ?? 1000, min + 1000);
        const whole = Number.isInteger(min) && Number.isInteger(max) && max - min > 1;
        return whole ? min + this.rng.int(max - min + 1) : Math.round((min + this.rng.next() * (max - min)) * 100) / 100 || min;
      }
      case 'boolean':
        return this.rng.chance(0.5);
      case 'array':
        return Array.from({ length: this.rng.int(3) }, () => this.validValue(schema.items ?? {}, operationId, where, `${name}[]`));
      case 'object': {
        if (schema.properties) {
          const out: Record<string, unknown> = {};
          for (const [key, member] of Object.entries(schema.properties)) {
            if (schema.required?.includes(key) || this.rng.chance(0.5))
              out[key] = this.validValue(member, operationId, where, name ? `${name}.${key}` : key);
          }
          return out;
        }
        // A string map (labels): a few sane entries, sometimes with non-ASCII values.
        return Object.fromEntries(
          Array.from({ length: this.rng.int(3) }, (_, i) => [`k${i}`, this.rng.pick(['r1', 'zone-b', 'Ω', '😀', ''])]),
        );
      }
      default:
        if (schema.format === 'uuid') return this.uuid();
        return `v${++this.serial}`;
    }
  }

  // ---- hostile changes

  /** A hostile value, copied: a later change to the case must not change the shared list. */
  private hostileValue(): unknown {
    const value = this.rng.pick(HOSTILE_VALUES);
    return typeof value === 'object' && value !== null && !(value instanceof RawJson) ? JSON.parse(JSON.stringify(value)) : value;
  }

  private mutate(op: SpecOperation, draft: Draft): void {
    const choices: (() => void)[] = [];
    const pathNames = Object.keys(draft.path);
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const headerParams = op.parameters.filter((p) => p.in === 'header');
    if (pathNames.length) choices.push(() => this.mutatePath(draft, this.rng.pick(pathNames)));
    choices.push(() => this.mutateQuery(draft, queryParams));
    if (headerParams.length) choices.push(() => this.mutateHeader(draft, this.rng.pick(headerParams).name));
    if (draft.body.kind === 'json') {
      // The body is where most of the surface is: weigh it accordingly.
      for (let i = 0; i < 4; i++) choices.push(() => this.mutateJsonField(op, draft));
      choices.push(() => this.replaceBody(draft));
    } else if (op.method !== 'GET') {
      choices.push(() => this.replaceBody(draft));
    }
    if (queryParams.length) choices.push(() => this.mutateQuery(draft, queryParams));
    this.rng.pick(choices)();
  }

  private mutatePath(draft: Draft, name: string): void {
    draft.path[name] = this.rng.pick(HOSTILE_PATH_IDS);
    draft.mutation = `path ${name} = ${short(draft.path[name]!)}`;
  }

  private mutateQuery(draft: Draft, params: Parameter[]): void {
    const other = this.hostileValue();
    const value = this.rng.chance(0.8)
      ? this.rng.pick(HOSTILE_STRINGS).slice(0, 20_000)
      : other instanceof RawJson
        ? other.text
        : typeof other === 'object'
          ? JSON.stringify(other)
          : String(other);
    const roll = this.rng.int(10);
    if (params.length && roll < 6) {
      const name = this.rng.pick(params).name;
      draft.query = draft.query.filter(([k]) => k !== name);
      draft.query.push([name, value]);
      draft.mutation = `query ${name} = ${short(value)}`;
    } else if (params.length && roll < 8) {
      const name = this.rng.pick(params).name;
      draft.query.push([name, value], [name, value]);
      draft.mutation = `query ${name} repeated`;
    } else if (roll < 9) {
      // Unknown names, and the page parameters some list routes take without documenting them.
      const name = this.rng.pick([
        'unknown',
        'a[b]',
        '__proto__',
        'limit[]',
        '\u0000',
        'x'.repeat(2000),
        'limit',
        'cursor',
        'after',
        'wait',
      ]);
      draft.query.push([name, value]);
      draft.mutation = `extra query ${short(name)}`;
    } else {
      draft.query.push(['q', '9'.repeat(10_000)]);
      draft.mutation = 'huge query value';
    }
  }

  private mutateHeader(draft: Draft, name: string): void {
    // Node's client refuses header characters outside latin-1 and control characters.
    const value = this.rng.pick([
      '',
      ' ',
      '*',
      'W/"1"',
      'W/"-1"',
      'W/"99999999999999999999"',
      '"1"',
      'W/"1", W/"2"',
      'ÿÿÿ',
      'key with spaces',
      'a'.repeat(300),
      'a'.repeat(8000),
      'null',
      '0x10',
    ]);
    draft.headers[name] = value;
    draft.mutation = `header ${name} = ${short(value)}`;
  }

  /** One field of the JSON body (top level or nested) replaced, removed, or a property added. */
  private mutateJsonField(op: SpecOperation, draft: Draft): void {
    const body = draft.body as { kind: 'json'; value: unknown };
    const slots = jsonSlots(body.value, op.body ?? {});
    const roll = this.rng.int(10);
    if (roll < 6 && slots.length) {
      const slot = this.rng.pick(slots);
      const value = this.hostileValue();
      slot.set(value);
      draft.mutation = `body ${slot.at} = ${describe(value)}`;
    } else if (roll < 7 && slots.length) {
      const slot = this.rng.pick(slots);
      slot.remove();
      draft.mutation = `body ${slot.at} removed`;
    } else if (roll < 9) {
      const objects = [body.value, ...slots.map((s) => s.get())].filter(
        (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawJson),
      );
      const target = objects.length ? this.rng.pick(objects) : undefined;
      const key = this.rng.pick([
        'extra',
        '__proto__',
        'constructor',
        'prototype',
        'id',
        'version',
        'createdAt',
        'hostId',
        '\ud800',
        '\u0000',
        '',
        'k'.repeat(300),
        '😀',
      ]);
      if (target) Object.defineProperty(target, key, { value: this.hostileValue(), enumerable: true, configurable: true, writable: true });
      draft.mutation = `extra property ${describe(key)}`;
    } else {
      // A string field gets a long or unicode value that still looks like a string.
      const strings = slots.filter((s) => typeof s.get() === 'string');
      const slot = strings.length ? this.rng.pick(strings) : undefined;
      const value = this.rng.pick(['\ud800', '\u0000', '\u202e', LONG, 'a'.repeat(1025), '😀'.repeat(40)]);
      slot?.set(`${String(slot.get())}${value}`);
      draft.mutation = `body ${slot?.at ?? '(no string)'} += ${describe(value)}`;
    }
  }

  private replaceBody(draft: Draft): void {
    const options = RAW_BODIES.length + JSON_BODIES.length;
    const n = this.rng.int(options);
    draft.body = n < RAW_BODIES.length ? RAW_BODIES[n]! : { kind: 'json', value: JSON_BODIES[n - RAW_BODIES.length]!() };
    draft.mutation = `body = ${draft.body.kind === 'raw' ? draft.body.label : describe(draft.body.kind === 'json' ? draft.body.value : undefined)}`;
  }

  // ---- rendering

  private render(op: SpecOperation, draft: Draft): FuzzCase {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => draft.path[name] ?? 'missing');
    const query = draft.query.map(([k, v]) => `${encodeQueryComponent(k)}=${encodeQueryComponent(v)}`).join('&');
    const headers: Record<string, string> = { ...draft.headers };
    let body: Buffer | undefined;
    if (draft.body.kind === 'json') {
      let value = draft.body.value;
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && this.options.confine)
        value = this.options.confine(op.operationId, value as Record<string, unknown>);
      body = Buffer.from(toJsonText(value));
      headers['content-type'] = 'application/json';
    } else if (draft.body.kind === 'raw') {
      body = draft.body.bytes;
      headers['content-type'] = draft.body.contentType;
    }
    return {
      operationId: op.operationId,
      method: op.method,
      url: query ? `${path}?${query}` : path,
      headers,
      body,
      mutation: draft.mutation,
    };
  }
}

/** One item from each generator in turn until all are done. */
export function* interleave<T>(generators: Generator<T>[]): Generator<T> {
  for (let live = generators; live.length;) {
    const round: T[] = [];
    live = live.filter((g) => {
      const next = g.next();
      if (!next.done) round.push(next.value);
      return !next.done;
    });
    yield* round;
  }
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is sent as the bytes a
 * careless encoder would produce (CESU-8, e.g. %ED%A0%80), so the server meets those too.
 */
function encodeQueryComponent(text: string): string {
  return text
    .split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/)
    .map((part, i) => {
      if (i % 2 === 0) return encodeURIComponent(part);
      const u = part.charCodeAt(0);
      return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}

interface Slot {
  at: string;
  get(): unknown;
  set(value: unknown): void;
  remove(): void;
}

/** Every place in a body that the schema describes (properties, map values, array items). */
function jsonSlots(value: unknown, schema: Schema, at = ''): Slot[] {
  const slots: Slot[] = [];
  if (typeof value !== 'object' || value === null || value instanceof RawJson) return slots;
  const container = value as Record<string, unknown>;
  const names = Array.isArray(value)
    ? value.map((_, i) => String(i))
    : [...new Set([...Object.keys(schema.properties ?? {}), ...Object.keys(container)])];
  for (const name of names) {
    const memberSchema = Array.isArray(value)
      ? (schema.items ?? {})
      : ((schema.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined) ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {}));
    const where = Array.isArray(value) ? `${at}[${name}]` : at ? `${at}.${name}` : name;
    slots.push({
      at: where,
      get: () => container[name],
      set: (v) => {
        container[name] = v;
      },
      remove: () => {
        if (Array.isArray(value)) value.splice(Number(name), 1);
        else delete container[name];
      },
    });
    slots.push(...jsonSlots(container[name], memberSchema, where));
  }
  return slots;
}

function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0001raw${raws.length - 1}\u0001`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0001raw(\d+)\\u0001"/g, (_, i: string) => raws[Number(i)]!);
}

function describe(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'string') return short(JSON.stringify(value));
  if (value === undefined) return 'undefined';
  return short(JSON.stringify(value) ?? String(value));
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
}
