// How virtfleet reaches a host's libvirt, as structured fields, and the only code that turns
// them into a libvirt connection URI. This is a security boundary: libvirt's remote driver
// obeys query parameters (command=, netcat=, socket=, keyfile=, ...), some of which run
// programs as the API's user, and it splits queries on both '&' and ';'. So nothing a client
// writes is passed through: every part of the URI is built here from fields that each match an
// allow-list, and a client's URI is accepted only when it parses into such fields and those
// serialise back to exactly the same string. Pure: no Nest, no I/O.
import { isIPv4, isIPv6 } from 'node:net';
import { posix } from 'node:path';
import { ValidationError } from '../common/domain-errors.js';

/** libvirt drivers a host URI may name (xen and libxl both reach libvirt's libxl driver). */
export const CONNECTION_DRIVERS = ['qemu', 'xen', 'libxl', 'lxc', 'test'] as const;
export type ConnectionDriver = (typeof CONNECTION_DRIVERS)[number];

/**
 * local: this machine's daemon at its default socket (`qemu:///system`); unix: this machine's
 * daemon at a chosen socket; tcp, tls, ssh: a daemon on another machine.
 */
export const CONNECTION_TRANSPORTS = ['local', 'unix', 'tcp', 'tls', 'ssh'] as const;
export type ConnectionTransport = (typeof CONNECTION_TRANSPORTS)[number];

/** Which daemon instance: the privileged system one, or (QEMU only) the API user's session one. */
export const CONNECTION_SCOPES = ['system', 'session'] as const;
export type ConnectionScope = (typeof CONNECTION_SCOPES)[number];

export interface HostConnection {
  driver: ConnectionDriver;
  transport: ConnectionTransport;
  /** tcp, tls, ssh: a DNS name (lower case), an IPv4 address or an IPv6 address (no brackets). */
  hostname?: string;
  /** tcp, tls, ssh: 1-65535; absent: libvirt's default for the transport. */
  port?: number;
  /** unix: the daemon's socket, under one of the allowed socket directories. */
  socket?: string;
  /** Not for the test driver; defaults to system. */
  scope?: ConnectionScope;
  /** test driver: a node file under the simulated-hosts directory; absent: test:///default. */
  nodeFile?: string;
  /**
   * test:///default only: a tag that makes another URI for the same in-process test
   * hypervisor, so it can be registered more than once (tests do).
   */
  suite?: string;
}

/** Server-side settings that decide which connections may be built. Never from the API. */
export interface ConnectionPolicy {
  /** Directories whose sockets a unix transport may use. */
  socketDirs: readonly string[];
  /** Directory of the test driver's node files; null: only test:///default. */
  simulatedHostsDir: string | null;
  /** What every ssh connection uses (user, key, known_hosts file); null: ssh's own defaults. */
  ssh: Readonly<{ user: string | null; keyfile: string | null; knownHosts: string | null }>;
}

/** The ssh settings a URI carries (from the policy when virtfleet built it). */
export type SshPart = ConnectionPolicy['ssh'];

const NO_SSH: SshPart = { user: null, keyfile: null, knownHosts: null };

const REMOTE: ReadonlySet<ConnectionTransport> = new Set(['tcp', 'tls', 'ssh']);

// A DNS label: letters, digits, inner dashes. Lower case only, so one host has one spelling.
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// Canonical dotted quad: no leading zeros (some resolvers read 010 as octal).
const IPV4_CANONICAL = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// Path segments: no %, no ; & ? # =, no spaces or controls; "." and ".." are refused separately.
const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;
const SSH_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const SUITE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** sockaddr_un.sun_path holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;
const MAX_PATH = 1024;

/** Problems with `hostname`, as a DNS name or an IP address literal. */
function hostnameProblem(hostname: unknown): string | null {
  if (typeof hostname !== 'string' || hostname === '') return 'hostname is required for the tcp, tls and ssh transports';
  if (hostname.includes(':')) {
    return isIPv6(hostname) && /^[0-9a-f:.]+$/.test(hostname)
      ? null
      : `hostname ${JSON.stringify(hostname)} is not an IPv6 address in lower case (no zone id)`;
  }
  if (/^[0-9.]+$/.test(hostname)) {
    return IPV4_CANONICAL.test(hostname) && isIPv4(hostname)
      ? null
      : `hostname ${JSON.stringify(hostname)} is not an IPv4 address in dotted-quad form`;
  }
  const labels = hostname.split('.');
  if (hostname.length > 253 || !labels.every((l) => DNS_LABEL.test(l))) {
    return `hostname ${JSON.stringify(hostname)} must be a DNS name (lower-case letters, digits, inner dashes, dots between labels) or an IP address`;
  }
  if (/^\d+$/.test(labels.at(-1)!))
    return `hostname ${JSON.stringify(hostname)} ends in an all-numeric label: write IPv4 addresses as four decimal numbers`;
  return null;
}

/** An absolute, normalised path made of safe segments, or the reason it is not. */
function safePathProblem(what: string, path: unknown, maxLength = MAX_PATH): string | null {
  if (typeof path !== 'string' || !path.startsWith('/')) return `${what} must be an absolute path`;
  if (path.length > maxLength) return `${what} is longer than ${maxLength} characters`;
  const segments = path.slice(1).split('/');
  if (posix.normalize(path) !== path || path.endsWith('/') || segments.some((s) => s === '.' || s === '..' || !SAFE_SEGMENT.test(s))) {
    return `${what} ${JSON.stringify(path)} must be a normalised absolute path of letters, digits, '.', '_' and '-' (no '..', '%', ';', '&', '?', '#', spaces)`;
  }
  return null;
}

/** Whether `path` lies strictly inside directory `dir`. */
function isUnder(path: string, dir: string): boolean {
  const base = dir.replace(/\/+$/, '');
  return path.startsWith(`${base}/`) && path.length > base.length + 1;
}

/**
 * Everything wrong with `c` regardless of server configuration (field grammar and which
 * fields go with which driver and transport). `c` comes from JSON, so types are checked too.
 */
function shapeProblems(c: HostConnection): string[] {
  const problems: string[] = [];
  const known = new Set(['driver', 'transport', 'hostname', 'port', 'socket', 'scope', 'nodeFile', 'suite']);
  for (const key of Object.keys(c)) if (!known.has(key)) problems.push(`connection has no field ${key}`);
  if (!CONNECTION_DRIVERS.includes(c.driver)) return [...problems, `driver must be one of ${CONNECTION_DRIVERS.join(', ')}`];
  if (!CONNECTION_TRANSPORTS.includes(c.transport)) return [...problems, `transport must be one of ${CONNECTION_TRANSPORTS.join(', ')}`];
  const remote = REMOTE.has(c.transport);
  if (remote) {
    const p = hostnameProblem(c.hostname);
    if (p) problems.push(p);
    if (c.port !== undefined && !(Number.isInteger(c.port) && c.port >= 1 && c.port <= 65535))
      problems.push('port must be an integer from 1 to 65535');
  } else {
    if (c.hostname !== undefined) problems.push(`hostname is only for the tcp, tls and ssh transports, not ${c.transport}`);
    if (c.port !== undefined) problems.push(`port is only for the tcp, tls and ssh transports, not ${c.transport}`);
  }
  if (c.transport === 'unix') {
    if (c.socket !== undefined) {
      const p = safePathProblem('socket', c.socket, MAX_SOCKET_PATH);
      if (p) problems.push(p);
    }
  } else if (c.socket !== undefined) problems.push(`socket is only for the unix transport, not ${c.transport}`);
  if (c.driver === 'test') {
    if (c.transport !== 'local') problems.push("the test driver runs inside the API process: its transport is 'local'");
    if (c.scope !== undefined) problems.push('scope is not for the test driver');
    if (c.nodeFile !== undefined) {
      const p = safePathProblem('nodeFile', c.nodeFile);
      if (p) problems.push(p);
      if (c.suite !== undefined) problems.push('suite is only for test:///default, not for a node file');
    }
    if (c.suite !== undefined && !(typeof c.suite === 'string' && SUITE.test(c.suite)))
      problems.push('suite must be 1-63 lower-case letters, digits or inner dashes');
  } else {
    if (c.nodeFile !== undefined) problems.push('nodeFile is only for the test driver');
    if (c.suite !== undefined) problems.push('suite is only for the test driver');
    if (c.scope !== undefined && !CONNECTION_SCOPES.includes(c.scope))
      problems.push(`scope must be one of ${CONNECTION_SCOPES.join(', ')}`);
    if (c.scope === 'session' && c.driver !== 'qemu') problems.push(`the ${c.driver} driver has no session daemon: scope must be system`);
  }
  return problems;
}

/** What the server configuration does not allow in `c`. */
function policyProblems(c: HostConnection, policy: ConnectionPolicy): string[] {
  const problems: string[] = [];
  if (c.socket !== undefined && !policy.socketDirs.some((d) => isUnder(c.socket!, d))) {
    problems.push(
      `socket must lie under ${policy.socketDirs.length > 0 ? policy.socketDirs.join(' or ') : 'an allowed socket directory (HOST_SOCKET_DIRS is empty)'}`,
    );
  }
  if (c.nodeFile !== undefined && !(policy.simulatedHostsDir && isUnder(c.nodeFile, policy.simulatedHostsDir))) {
    problems.push(
      `simulated hosts must be test:///default${policy.simulatedHostsDir ? ` or a node file under ${policy.simulatedHostsDir}` : ' (SIMULATED_HOSTS_DIR is not set)'}`,
    );
  }
  return problems;
}

function refuse(problems: string[], extras: Record<string, unknown>): never {
  throw new ValidationError(`host connection refused: ${problems.join('; ')}`, { problems, ...extras });
}

/** `c` with its defaults filled in, keys in a fixed order, or a 400 naming every problem. */
export function checkHostConnection(c: HostConnection, policy: ConnectionPolicy): HostConnection {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) refuse(['connection must be an object'], {});
  const problems = shapeProblems(c);
  if (problems.length === 0) problems.push(...policyProblems(c, policy));
  if (problems.length > 0) refuse(problems, { connection: c });
  return normalise(c);
}

function normalise(c: HostConnection): HostConnection {
  return {
    driver: c.driver,
    transport: c.transport,
    ...(c.hostname !== undefined ? { hostname: c.hostname } : {}),
    ...(c.port !== undefined ? { port: c.port } : {}),
    ...(c.socket !== undefined ? { socket: c.socket } : {}),
    ...(c.driver !== 'test' ? { scope: c.scope ?? 'system' } : {}),
    ...(c.nodeFile !== undefined ? { nodeFile: c.nodeFile } : {}),
    ...(c.suite !== undefined ? { suite: c.suite } : {}),
  };
}

/** The libvirt URI of a checked connection; the ssh parts come from the server, never the client. */
function serialise(c: HostConnection, ssh: SshPart): string {
  const scheme = c.transport === 'local' ? c.driver : `${c.driver}+${c.transport}`;
  let authority = '';
  if (REMOTE.has(c.transport)) {
    const host = c.hostname!.includes(':') ? `[${c.hostname}]` : c.hostname!;
    authority = `${c.transport === 'ssh' && ssh.user ? `${ssh.user}@` : ''}${host}${c.port !== undefined ? `:${c.port}` : ''}`;
  }
  const path = c.driver === 'test' ? (c.nodeFile ?? '/default') : `/${c.scope ?? 'system'}`;
  // Fixed order; every value is a safe path or tag, so nothing needs percent-encoding.
  const query: string[] = [];
  if (c.socket !== undefined) query.push(`socket=${c.socket}`);
  if (c.transport === 'ssh' && ssh.keyfile) query.push(`keyfile=${ssh.keyfile}`);
  if (c.transport === 'ssh' && ssh.knownHosts) query.push(`known_hosts=${ssh.knownHosts}`);
  if (c.suite !== undefined) query.push(`suite=${c.suite}`);
  return `${scheme}://${authority}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** The libvirt URI for `c` (checked against `policy` first). */
export function buildHostUri(c: HostConnection, policy: ConnectionPolicy): string {
  return serialise(checkHostConnection(c, policy), policy.ssh);
}

// The whole grammar of URIs `serialise` writes; anything else fails here before any field is read.
const URI_GRAMMAR = new RegExp(
  '^(?<driver>[a-z]+)(?:\\+(?<transport>[a-z]+))?://' +
    '(?:(?<user>[a-z0-9_-]+)@)?(?<host>\\[[0-9a-f:.]+\\]|[a-z0-9.-]+)?(?::(?<port>\\d+))?' +
    '(?<path>/[A-Za-z0-9._/-]*)(?:\\?(?<query>[A-Za-z0-9._/=&-]+))?$',
);
const QUERY_KEYS = new Set(['socket', 'keyfile', 'known_hosts', 'suite']);

export interface ParsedHostUri {
  connection: HostConnection;
  /** The ssh user, key and known_hosts file the URI names (none for other transports). */
  ssh: SshPart;
}

function notOurs(uri: string, why: string): never {
  throw new ValidationError(`uri is not a host URI virtfleet builds: ${why}`, { uri });
}

/**
 * The fields of a URI in virtfleet's own form, whatever the server configuration: the grammar,
 * each field's allow-list, and re-serialisation to exactly `uri`. No allow-list of socket
 * directories or node files is applied here (see `hostConnectionFromUri`).
 */
export function parseHostUri(uri: string): ParsedHostUri {
  if (typeof uri !== 'string' || uri.length > MAX_PATH * 2) notOurs(String(uri).slice(0, 64), 'too long or not a string');
  const m = URI_GRAMMAR.exec(uri);
  if (!m?.groups)
    notOurs(
      uri,
      "it has characters or parts outside driver[+transport]://[host[:port]]/path[?socket=…] (no '%', ';', '#', spaces, user names or other parameters)",
    );
  const g = m.groups;
  const params = new Map<string, string>();
  for (const pair of g.query?.split('&') ?? []) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (!QUERY_KEYS.has(key)) notOurs(uri, `query parameter ${JSON.stringify(key)} is not accepted`);
    if (params.has(key)) notOurs(uri, `query parameter ${key} is repeated`);
    params.set(key, pair.slice(eq + 1));
  }
  const driver = g.driver as ConnectionDriver;
  const transport = (g.transport ?? 'local') as ConnectionTransport;
  const connection: HostConnection = { driver, transport };
  if (g.host !== undefined) connection.hostname = g.host.replace(/^\[(.*)\]$/, '$1');
  if (g.port !== undefined) connection.port = /^[1-9]\d{0,4}$/.test(g.port) ? Number(g.port) : -1;
  if (params.has('socket')) connection.socket = params.get('socket');
  if (params.has('suite')) connection.suite = params.get('suite');
  if (driver === 'test') {
    if (g.path !== '/default') connection.nodeFile = g.path;
  } else {
    const scope = g.path!.slice(1);
    if (!(CONNECTION_SCOPES as readonly string[]).includes(scope))
      notOurs(uri, `path must be /system${driver === 'qemu' ? ' or /session' : ''}`);
    connection.scope = scope as ConnectionScope;
  }
  const problems = CONNECTION_DRIVERS.includes(driver)
    ? shapeProblems(connection)
    : [`driver must be one of ${CONNECTION_DRIVERS.join(', ')}`];
  const ssh: SshPart = { user: g.user ?? null, keyfile: params.get('keyfile') ?? null, knownHosts: params.get('known_hosts') ?? null };
  if (transport !== 'ssh' && (ssh.user || ssh.keyfile || ssh.knownHosts))
    problems.push('a user name, keyfile or known_hosts only goes with the ssh transport');
  if (ssh.user && !SSH_USER.test(ssh.user)) problems.push('ssh user name is not a plain user name');
  for (const [what, path] of [
    ['keyfile', ssh.keyfile],
    ['known_hosts', ssh.knownHosts],
  ] as const) {
    const p = path === null ? null : safePathProblem(what, path);
    if (p) problems.push(p);
  }
  if (problems.length > 0) notOurs(uri, problems.join('; '));
  const normalised = normalise(connection);
  const again = serialise(normalised, ssh);
  if (again !== uri) notOurs(uri, `it must be written exactly as ${again}`);
  return { connection: normalised, ssh };
}

/**
 * The connection a client's URI stands for, when it is one virtfleet would build itself under
 * `policy`: same fields, same server-side ssh settings, same string. Otherwise a 400.
 */
export function hostConnectionFromUri(uri: string, policy: ConnectionPolicy): HostConnection {
  const { connection, ssh } = parseHostUri(uri);
  const expectedSsh = connection.transport === 'ssh' ? policy.ssh : NO_SSH;
  if (ssh.user !== expectedSsh.user || ssh.keyfile !== expectedSsh.keyfile || ssh.knownHosts !== expectedSsh.knownHosts) {
    notOurs(uri, 'the ssh user, keyfile and known_hosts come from the server configuration (HOST_SSH_*), not from the request');
  }
  const checked = checkHostConnection(connection, policy);
  const built = serialise(checked, policy.ssh);
  if (built !== uri) notOurs(uri, `it must be written exactly as ${built}`);
  return checked;
}

/**
 * For the libvirt layer's last check before it opens a connection: the URI is one
 * `serialise` could have written (configuration-independent, so it also covers stored hosts).
 */
export function assertWellFormedHostUri(uri: string): void {
  parseHostUri(uri);
}

/** The connection of a stored host's URI, or null for one stored before URIs were built here. */
export function connectionOfStoredUri(uri: string): HostConnection | null {
  try {
    return parseHostUri(uri).connection;
  } catch {
    return null;
  }
}
