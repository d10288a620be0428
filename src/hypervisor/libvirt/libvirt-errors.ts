// libvirt errors matched by symbolic code and turned into domain errors. The npm binding
// only gives us a message (its `code` is always -1), so its messages are first mapped to the
// same symbolic names; our native addon supplies the real code name directly.
import {
  ConflictError,
  DependencyUnavailableError,
  DomainError,
  HypervisorError,
  NotFoundError,
  UnprocessableError,
} from '../../common/domain-errors.js';

export type LibvirtCodeName = `VIR_ERR_${string}`;

// libvirt's fixed message prefixes (virerror.c) for the codes we act on.
const messagePrefixes: ReadonlyArray<[RegExp, LibvirtCodeName]> = [
  [/^Domain not found/i, 'VIR_ERR_NO_DOMAIN'],
  [/^Requested operation is not valid/i, 'VIR_ERR_OPERATION_INVALID'],
  [/^Operation not supported/i, 'VIR_ERR_OPERATION_UNSUPPORTED'],
  [/^this function is not supported by the connection driver/i, 'VIR_ERR_NO_SUPPORT'],
  [/^argument unsupported/i, 'VIR_ERR_ARGUMENT_UNSUPPORTED'],
  [/^operation failed: domain .* already exists/i, 'VIR_ERR_OPERATION_FAILED'],
  [/already exists with uuid|is already defined/i, 'VIR_ERR_OPERATION_FAILED'],
  [/^XML error|^XML document failed to validate/i, 'VIR_ERR_XML_ERROR'],
  [/^invalid argument/i, 'VIR_ERR_INVALID_ARG'],
  [/^Timed out during operation/i, 'VIR_ERR_OPERATION_TIMEOUT'],
  [/^operation aborted/i, 'VIR_ERR_OPERATION_ABORTED'],
  [
    /^no connection driver available|^Failed to connect socket|^End of file while reading data|^Cannot recv data|^Cannot write data|^internal error: client socket is closed|^Unable to connect to server|^authentication failed/i,
    'VIR_ERR_NO_CONNECT',
  ],
];

export function libvirtCodeName(error: unknown): LibvirtCodeName | 'UNKNOWN' {
  const named = (error as { codeName?: unknown })?.codeName;
  if (typeof named === 'string' && named.startsWith('VIR_ERR_')) return named as LibvirtCodeName;
  const message = error instanceof Error ? error.message : String(error);
  return messagePrefixes.find(([re]) => re.test(message))?.[1] ?? 'UNKNOWN';
}

const connectionLevel = new Set<string>([
  'VIR_ERR_NO_CONNECT',
  'VIR_ERR_SYSTEM_ERROR',
  'VIR_ERR_RPC',
  'VIR_ERR_AUTH_FAILED',
  'VIR_ERR_OPERATION_TIMEOUT',
]);

/** True when the error means the connection itself is unusable and must be reopened. */
export function isConnectionLevel(error: unknown): boolean {
  return connectionLevel.has(libvirtCodeName(error));
}

/** Map a libvirt failure of `what` (e.g. "start of instance web-1") to a domain error. */
export function toDomainError(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error;
  const code = libvirtCodeName(error);
  const message = error instanceof Error ? error.message : String(error);
  const extras = { libvirtCode: code, libvirtMessage: message };
  switch (code) {
    case 'VIR_ERR_NO_DOMAIN':
      return new NotFoundError(`${what}: the hypervisor has no such domain`, extras);
    case 'VIR_ERR_OPERATION_INVALID':
      return new ConflictError(`${what}: not valid in the domain's current state (${message})`, extras);
    case 'VIR_ERR_OPERATION_UNSUPPORTED':
    case 'VIR_ERR_NO_SUPPORT':
    case 'VIR_ERR_ARGUMENT_UNSUPPORTED':
      return new UnprocessableError(`${what}: not supported by this hypervisor (${message})`, extras);
    case 'VIR_ERR_OPERATION_FAILED':
    case 'VIR_ERR_DOM_EXIST':
      return new ConflictError(`${what}: ${message}`, extras);
    case 'VIR_ERR_XML_ERROR':
    case 'VIR_ERR_INVALID_ARG':
      return new UnprocessableError(`${what}: rejected by the hypervisor (${message})`, extras);
    default:
      if (connectionLevel.has(code)) return new DependencyUnavailableError(`${what}: hypervisor unreachable (${message})`, extras);
      return new HypervisorError(`${what}: ${message}`, extras);
  }
}
