// The OpenAPI shape of every error answer (RFC 9457 application/problem+json). The runtime type
// is `ProblemDetails` in problem-details.filter.ts; this class only documents it.
import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';

/** One problem of a request field, named by its path (e.g. `boot.disks[0].path`). */
@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemDto {
  /** @example "boot.init" */
  path!: string;
  /** @example "must be an absolute path" */
  message!: string;
}

@ApiSchema({
  name: 'ProblemDetails',
  description: 'RFC 9457 problem details. Further members may appear as extensions (e.g. `currentState`, `currentVersion`, `rejections`).',
})
export class ProblemDetailsDto {
  /**
   * URI naming the kind of problem: `https://virtfleet.dev/problems/<slug>` for domain errors, `about:blank` for plain HTTP ones.
   * @example "https://virtfleet.dev/problems/not-found"
   */
  type!: string;

  /** Short, stable summary of the kind of problem. @example "Resource not found" */
  title!: string;

  /** The HTTP status code. @example 404 */
  status!: number;

  /** What went wrong with this request, for a person to read. @example "host 0b6f3c1e-7a8b-4c5d-9e0f-1a2b3c4d5e6f does not exist" */
  detail?: string;

  /** The request path that failed. @example "/api/v1/hosts/0b6f3c1e-7a8b-4c5d-9e0f-1a2b3c4d5e6f" */
  instance?: string;

  /** The request id (also in the `X-Request-Id` header), to find the request in the logs. */
  requestId?: string;

  /**
   * Validation problems (400 answers), one per failed constraint: a message for the request's
   * own fields, `{path, message}` for the fields of an instance's `boot`.
   */
  @ApiProperty({ type: 'array', required: false, items: { oneOf: [{ type: 'string' }, { $ref: getSchemaPath(FieldProblemDto) }] } })
  errors?: (string | FieldProblemDto)[];

  /** Seconds to wait before retrying (503 answers; also sent as `Retry-After`). */
  retryAfterSeconds?: number;
}
