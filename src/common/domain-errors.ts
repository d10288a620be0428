// Domain errors: services throw these, never a bare Error. The problem-details filter turns
// each into an RFC 9457 response; `type` is a stable URI clients can switch on.

export interface ProblemExtras {
  [key: string]: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  constructor(
    message: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const typeUri = (slug: string) => `https://virtfleet.dev/problems/${slug}`;

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly type = typeUri('not-found');
  readonly title = 'Resource not found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly type = typeUri('conflict');
  readonly title = 'Conflict with the current state';
}

export class UnprocessableError extends DomainError {
  readonly status = 422;
  readonly type = typeUri('unprocessable');
  readonly title = 'Request cannot be carried out';
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly type = typeUri('validation');
  readonly title = 'Invalid request';
}

export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly type = typeUri('precondition-failed');
  readonly title = 'Precondition failed';
}

/** A dependency (libvirt host, database) could not be reached in time. */
export class DependencyUnavailableError extends DomainError {
  readonly status = 503;
  readonly type = typeUri('dependency-unavailable');
  readonly title = 'Dependency unavailable';
}

/** A computed consolidation plan could not be stored (it no longer applies, or saving failed); nothing was kept. */
export class PlanNotSavedError extends DomainError {
  readonly status = 503;
  readonly type = typeUri('plan-not-saved');
  readonly title = 'Plan could not be saved';
}

/** The upstream hypervisor answered with an error that is not the client's fault. */
export class HypervisorError extends DomainError {
  readonly status = 502;
  readonly type = typeUri('hypervisor-error');
  readonly title = 'Hypervisor error';
}

/** Placement found no host: carries how many hosts each filter removed and why. */
export class NoValidHostError extends DomainError {
  readonly status = 409;
  readonly type = typeUri('no-valid-host');
  readonly title = 'No valid host';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly type = typeUri('unauthorized');
  readonly title = 'Missing or invalid API key';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly type = typeUri('forbidden');
  readonly title = 'Role not allowed';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly type = typeUri('rate-limited');
  readonly title = 'Too many requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}
