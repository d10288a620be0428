// Documents the problem+json error answers an endpoint can give, all with one shared schema,
// so the spec (and the generated client) types every 4xx/5xx body the same way.
import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_JSON } from './problem-details.filter.js';
import { FieldProblemDto, ProblemDetailsDto } from './problem-details.dto.js';

const problemDescriptions = {
  400: 'The request body, parameters or headers are invalid.',
  401: 'No API key, or an unknown or revoked one.',
  403: "The API key's role is not allowed on this route.",
  429: 'The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After.',
  404: 'The resource does not exist.',
  409: 'The request conflicts with the current state of the resource.',
  412: 'If-Match names a version that is no longer current.',
  422: 'The request is well-formed but cannot be carried out.',
  502: 'The hypervisor answered with an error.',
  503: 'A dependency (database, hypervisor host) is unavailable or overloaded; retry later.',
} as const;

export type ProblemStatus = keyof typeof problemDescriptions;

export function ApiProblemResponses(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, FieldProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: problemDescriptions[status],
        content: { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
        // Clears a schema another decorator gave the same status (terminus' @HealthCheck documents
        // its 503 as application/json); the explorer prefers `schema` to `content`.
        schema: undefined,
      }),
    ),
  );
}

/** What every route behind an API key documents: the bearer scheme and 401/403/429. */
export function ApiKeyProtected(): ClassDecorator {
  return applyDecorators(ApiBearerAuth('api-key'), ApiProblemResponses(401, 403, 429));
}
