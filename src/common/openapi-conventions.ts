// What holds for every route, written into the OpenAPI document once instead of on each
// controller: the answers middleware gives before a handler runs (body parser 400/413/415, a
// database outage's 503), the headers every answer carries, and Idempotency-Key where the global
// interceptor honours it (POST), and a working example for each request body. Routes other modules add later get the same without edits here.
import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_JSON } from './problem-details.filter.js';
import { REQUEST_EXAMPLES } from './request-examples.js';

type Json = Record<string, any>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

const problemSchema = { $ref: '#/components/schemas/ProblemDetails' };
const problemResponse = (description: string) => ({ description, content: { [PROBLEM_JSON]: { schema: problemSchema } } });

/**
 * Answers given before routing, on any method: the express.json body parser (a body is parsed
 * whatever the method) and Node's HTTP parser (oversized headers).
 */
const BODY_PARSER_RESPONSES: Readonly<Record<string, string>> = {
  400: 'The request body, parameters or headers are invalid.',
  413: 'The request body is larger than the server accepts (BODY_LIMIT).',
  415: 'The request body has an unsupported charset or content encoding.',
  431: 'The request headers are too large.',
};

/** What the Idempotency-Key interceptor answers on any POST that sends the header. */
const IDEMPOTENCY_RESPONSES: Readonly<Record<string, string>> = {
  409: 'The request conflicts with the current state of the resource, or a request with this Idempotency-Key is still in progress.',
  422: 'The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request.',
};

export const RESPONSE_HEADERS = {
  'X-Request-Id': { description: 'Id of this request, also in problem bodies and the logs.', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
  'WWW-Authenticate': { description: 'The scheme to authenticate with: Bearer.', schema: { type: 'string' } },
  Location: {
    description: 'Where the created resource, or the operation carrying out the request, can be read.',
    schema: { type: 'string' },
  },
  ETag: { description: 'Version of the resource, for If-Match.', schema: { type: 'string' } },
} as const;

/** For a controller's response decorator: `headers: { ...LOCATION_HEADER, ...ETAG_HEADER }`. */
export const LOCATION_HEADER = { Location: RESPONSE_HEADERS.Location };
export const ETAG_HEADER = { ETag: RESPONSE_HEADERS.ETag };

/**
 * A GET of a versioned resource answers 304 (no body) when If-None-Match names its current
 * ETag: Express does so for any response carrying an ETag, and browsers send the header on
 * their own when they re-read a page.
 */
export const ApiConditionalGet = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag read earlier; 304 Not Modified when it is still the current version',
    }),
    ApiResponse({ status: 304, description: 'Not modified: If-None-Match names the current version.', headers: ETAG_HEADER }),
  );

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice.',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
};

const IDEMPOTENT_REPLAYED = {
  description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.',
  schema: { type: 'string', enum: ['true'] },
};

export function applyApiConventions(doc: OpenAPIObject): OpenAPIObject {
  // Relative, so Swagger UI's "Try it out" calls the server (and port) that served the page.
  doc.servers = [{ url: '/', description: 'the server that serves this document' }];
  typeNullableReferences(doc);
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (!op) continue;
      const responses = (op.responses ??= {}) as Json;
      const body = op.requestBody?.content?.['application/json'] as Json | undefined;
      const bodySchema = typeof body?.schema?.$ref === 'string' ? String(body.schema.$ref).split('/').pop()! : undefined;
      if (body && bodySchema && REQUEST_EXAMPLES[bodySchema] && body.example === undefined && body.examples === undefined)
        body.example = REQUEST_EXAMPLES[bodySchema];
      for (const [status, description] of Object.entries(BODY_PARSER_RESPONSES)) responses[status] ??= problemResponse(description);
      if (method === 'post') {
        for (const [status, description] of Object.entries(IDEMPOTENCY_RESPONSES)) responses[status] ??= problemResponse(description);
      }
      // Every route under /api touches PostgreSQL (at least the API key check): an outage is a 503.
      if (path.startsWith('/api/'))
        responses['503'] ??= problemResponse('A dependency (database, hypervisor host) is unavailable or overloaded; retry later.');
      const params = ((op.parameters ?? []) as Json[]).filter(
        (p) => !(p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key'),
      );
      if (method === 'post') params.push(IDEMPOTENCY_KEY);
      op.parameters = params;
      for (const [status, response] of Object.entries(responses as Record<string, Json>)) {
        const headers = (response.headers ??= {}) as Json;
        headers['X-Request-Id'] ??= RESPONSE_HEADERS['X-Request-Id'];
        if (status === '429' || status === '503') headers['Retry-After'] ??= RESPONSE_HEADERS['Retry-After'];
        if (status === '401') headers['WWW-Authenticate'] ??= RESPONSE_HEADERS['WWW-Authenticate'];
        if (method === 'post' && status.startsWith('2')) headers['Idempotent-Replayed'] ??= IDEMPOTENT_REPLAYED;
      }
      op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return doc;
}

/**
 * `X | null` of a class or named enum comes out as `{nullable: true, allOf: [$ref]}`; OpenAPI 3.0
 * ignores `nullable` without a `type` beside it, so give it the referenced schema's type.
 */
function typeNullableReferences(doc: OpenAPIObject): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Json>;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const s = node as Json;
    if (
      s.nullable === true &&
      s.type === undefined &&
      Array.isArray(s.allOf) &&
      s.allOf.length === 1 &&
      typeof s.allOf[0].$ref === 'string'
    ) {
      s.type = schemas[String(s.allOf[0].$ref).split('/').pop()!]?.type ?? 'object';
    }
    Object.values(s).forEach(visit);
  };
  visit(doc.components?.schemas);
  visit(doc.paths);
}
