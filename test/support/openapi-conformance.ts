// Holds every response a test app sends against the committed openapi/openapi.json: the status
// must be documented for the path and method, the content type must be one the spec gives for
// that status, and the body must validate (ajv) against its schema. Spec-driven: a new endpoint is
// checked as soon as it is in the spec, with no list of routes here. Responses to paths the spec
// does not have (probes of unknown routes, /api/docs) are not the contract and are skipped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { Ajv, type ValidateFunction } from 'ajv';

type Json = Record<string, any>;

export interface ContractViolation {
  method: string;
  path: string;
  route: string;
  status: number;
  contentType: string;
  message: string;
}

const SPEC_FILE = path.resolve(import.meta.dirname, '..', '..', 'openapi', 'openapi.json');

/** OpenAPI 3.0 schema -> JSON Schema draft 7 for ajv: `nullable` becomes a union with null. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'nullable' || k === 'example' || k === 'examples' || k === 'discriminator' || k === 'xml' || k === 'externalDocs') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, toJsonSchema(s)])) : toJsonSchema(v);
  }
  if ((node as Json).nullable === true) {
    const { description, ...rest } = out;
    return { ...(description === undefined ? {} : { description }), anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

interface Route {
  template: string;
  pattern: RegExp;
  literalSegments: number;
  operations: Json;
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly spec: Json = JSON.parse(readFileSync(SPEC_FILE, 'utf8'))) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    this.ajv.addFormat(
      'date-time',
      (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s),
    );
    this.ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: toJsonSchema(spec.components?.schemas ?? {}) } } as Json);
    this.routes = Object.entries(spec.paths as Json).map(([template, operations]) => {
      const segments = template.split('/');
      const pattern = new RegExp(
        `^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}/?$`,
      );
      return { template, pattern, literalSegments: segments.filter((s) => !/^\{.+\}$/.test(s)).length, operations };
    });
    // `/instances/stats` before `/instances/{id}`: the most literal template wins.
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** What is wrong with one response; null when it is what the spec promises (or not the spec's). */
  check(method: string, urlPath: string, status: number, contentTypeHeader: string | undefined, body: string): string | null | undefined {
    const route = this.routes.find((r) => r.pattern.test(urlPath));
    if (!route) return undefined;
    const operation = route.operations[method.toLowerCase()];
    if (!operation) return status === 404 || status === 405 ? null : `method ${method} is not documented for ${route.template}`;
    const responses = operation.responses as Json;
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!response) return `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
    const mediaType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
    const content = response.content as Json | undefined;
    if (!content || Object.keys(content).length === 0) {
      return body.length === 0
        ? null
        : `status ${status} is documented without a body, got ${mediaType || 'no content type'} (${body.slice(0, 120)})`;
    }
    const media = content[mediaType];
    if (!media)
      return `content type ${mediaType || '(none)'} is not documented for ${status} (documented: ${Object.keys(content).join(', ')})`;
    if (!media.schema) return null;
    if (mediaType === 'text/event-stream') return null;
    let value: unknown = body;
    if (/[/+]json$/.test(mediaType)) {
      try {
        value = JSON.parse(body);
      } catch {
        return `body is not JSON: ${body.slice(0, 120)}`;
      }
    }
    const key = `${method} ${route.template} ${status} ${mediaType}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(this.refsToAjv(toJsonSchema(media.schema)) as Json);
      this.validators.set(key, validate);
    }
    if (validate(value)) return null;
    return (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
      .join('; ');
  }

  /** `#/components/schemas/X` inside a compiled schema points at the document added as `openapi`. */
  private refsToAjv(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.refsToAjv(n));
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node as Json).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : this.refsToAjv(v),
      ]),
    );
  }

  /** The template a path falls under, for messages. */
  routeOf(urlPath: string): string {
    return this.routes.find((r) => r.pattern.test(urlPath))?.template ?? urlPath;
  }
}

let shared: OpenApiContract | undefined;
export const openApiContract = (): OpenApiContract => (shared ??= new OpenApiContract());

/**
 * Express middleware (first in the chain) that captures each response's body and checks it
 * against the spec when it is finished; violations go to `record`.
 */
export function conformanceMiddleware(record: (v: ContractViolation) => void) {
  const contract = openApiContract();
  return (req: Request, res: Response, next: NextFunction): void => {
    const chunks: Buffer[] = [];
    let streaming = false;
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (streaming || chunk === undefined || chunk === null || typeof chunk === 'function') return;
      if (/^text\/event-stream/.test(String(res.getHeader('content-type') ?? ''))) {
        streaming = true;
        return;
      }
      chunks.push(
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
      );
    };
    (res as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    };
    (res as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return end(chunk, ...rest);
    };
    const urlPath = (req.originalUrl ?? req.url).split('?')[0]!;
    res.on('finish', () => {
      if (streaming || req.method === 'HEAD') return;
      const contentType = res.getHeader('content-type') as string | undefined;
      const message = contract.check(req.method, urlPath, res.statusCode, contentType, Buffer.concat(chunks).toString('utf8'));
      if (message)
        record({
          method: req.method,
          path: urlPath,
          route: contract.routeOf(urlPath),
          status: res.statusCode,
          contentType: contentType ?? '',
          message,
        });
    });
    next();
  };
}

/** One line per distinct (route, status, message), with how often it happened. */
export function describeViolations(violations: readonly ContractViolation[]): string {
  const seen = new Map<string, { example: string; count: number }>();
  for (const v of violations) {
    const line = `${v.method} ${v.route} -> ${v.status} ${v.contentType.split(';')[0]}: ${v.message}`;
    const entry = seen.get(line) ?? { example: v.path, count: 0 };
    entry.count += 1;
    seen.set(line, entry);
  }
  return [...seen].map(([line, { example, count }]) => `${line} (e.g. ${example}${count > 1 ? `, x${count}` : ''})`).join('\n');
}
