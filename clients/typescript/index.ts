// The virtfleet API client: openapi-fetch over the generated path types, plus typed problem
// errors. Hand-written, and kept this small on purpose; everything the API says lives in
// virtfleet-api.generated.ts (written by scripts/generate-client.mjs).
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './virtfleet-api.generated.js';

export type { components, operations, paths };
export type ProblemDetails = components['schemas']['ProblemDetails'];
export type VirtfleetClient = Client<paths>;

export interface VirtfleetClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** An API key (vf_…), sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /**
   * Throw a VirtfleetProblemError for every problem+json answer instead of returning it as
   * `error` (then `data` is always the success body).
   */
  throwOnProblem?: boolean;
}

/**
 * An answer of the API in RFC 9457 problem+json: `status`, `type` (a stable URI to switch on),
 * `title`, `detail`, `requestId`, and any extension members (e.g. `currentVersion`) in `problem`.
 */
export class VirtfleetProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  readonly requestId: string | undefined;
  /** Validation problems (400/422 answers): a message, or the field's path with its message. */
  readonly errors: ProblemDetails['errors'];
  /** The whole problem document, extensions included. */
  readonly problem: ProblemDetails & Record<string, unknown>;

  constructor(problem: ProblemDetails & Record<string, unknown>, status = problem.status) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'VirtfleetProblemError';
    this.status = status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.requestId = problem.requestId;
    this.errors = problem.errors;
    this.problem = problem;
  }
}

export function isProblemDetails(value: unknown): value is ProblemDetails & Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { title?: unknown }).title === 'string'
  );
}

/**
 * The success body of an openapi-fetch result; a problem answer is thrown as a
 * VirtfleetProblemError. `await unwrap(client.GET('/api/v1/hosts'))`.
 */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }> | { data?: T; error?: unknown; response: Response },
): Promise<T> {
  const { data, error, response } = await pending;
  if (error === undefined && response.ok) return data as T;
  if (isProblemDetails(error)) throw new VirtfleetProblemError(error, response.status);
  throw new VirtfleetProblemError(
    {
      type: 'about:blank',
      title: response.statusText || 'Request failed',
      status: response.status,
      detail: typeof error === 'string' ? error : undefined,
    },
    response.status,
  );
}

/** `baseUrl` is the server root, e.g. http://127.0.0.1:3000 (paths already start with /api/v1 or /health). */
export function createVirtfleetClient(baseUrl: string, options: VirtfleetClientOptions = {}): VirtfleetClient {
  const { apiKey, throwOnProblem, ...rest } = options;
  const client = createClient<paths>({ baseUrl, ...rest });
  if (apiKey) {
    client.use({
      onRequest({ request }) {
        request.headers.set('Authorization', `Bearer ${apiKey}`);
        return request;
      },
    });
  }
  if (throwOnProblem) {
    client.use({
      async onResponse({ response }) {
        if (!/^application\/problem\+json/.test(response.headers.get('content-type') ?? '')) return undefined;
        const body: unknown = await response
          .clone()
          .json()
          .catch(() => undefined);
        if (isProblemDetails(body)) throw new VirtfleetProblemError(body, response.status);
        return undefined;
      },
    });
  }
  return client;
}
