// Configuration from the environment, validated once at boot. A bad value stops the process
// with a message naming the variable, instead of failing later on first use.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { isIP } from 'node:net';
import { CronTime } from 'cron';
import { z } from 'zod';
import type { ConnectionPolicy } from '../hypervisor/host-connection.js';
import { MEASURED_DEFAULTS } from '../overhead/measured-defaults.js';
import { OverheadCharges } from '../overhead/overhead-charges.js';
import { parseCalibration, zeroCalibration } from '../overhead/overhead-model.js';

const logLevels = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  BIND_ADDRESS: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .default('postgresql://postgres:postgres@127.0.0.1:5432/virtfleet'),
  LOG_LEVEL: z.enum(logLevels).default('log'),
  /**
   * A simulated host registered at boot when no host with that URI exists and an operator has
   * not removed it before; empty disables it. It takes instances only when asked for explicitly.
   */
  DEMO_HOST_URI: z.string().default('test:///default'),
  /** How long a single libvirt call may take before it is reported as failed. */
  HYPERVISOR_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Bandwidth cap of a live migration in MiB/s (spares the hosts' network); 0: libvirt's default (unlimited). */
  MIGRATION_BANDWIDTH_MIBS: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Reconciler sweep period; 0 disables the periodic sweep (the admin endpoint still works). */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /**
   * How long a replica that stopped heartbeating keeps its hosts before the others take them
   * over (a replica that dies outright loses them at the next heartbeat of any other). Each
   * replica heartbeats and rebalances every third of it.
   */
  /**
   * Hosts a sweep reconciles at once. Each holds one of libuv's threads while its libvirt
   * listing runs (UV_THREADPOOL_SIZE, set by scripts/start.sh), so this stays well below it.
   */
  RECONCILE_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  HOST_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  /** Cron expression for the consolidation job (e.g. "0 3 * * *"); empty disables it. */
  CONSOLIDATION_SCHEDULE: z
    .string()
    .default('')
    .refine((v) => v === '' || isCron(v), 'must be a cron expression such as "0 3 * * *"'),
  /** true: the scheduled job executes its plan; false: it leaves the plan proposed for approval. */
  CONSOLIDATION_AUTO_EXECUTE: z.enum(['true', 'false']).default('false'),
  CONSOLIDATION_MIGRATION_BUDGET: z.coerce.number().int().min(0).max(100_000).default(20),
  CONSOLIDATION_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(3600),
  CONSOLIDATION_ALLOW_COLD: z.enum(['true', 'false']).default('false'),
  CONSOLIDATION_MAX_UTILISATION: z.coerce.number().min(0.1).max(1).default(0.9),
  /** Longest a plan may compute (in its worker thread) before it is stopped with a 503. */
  CONSOLIDATION_PLAN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(300_000),
  /** Events older than this many days are deleted by the retention job; 0 keeps them forever. Audit events are kept at least AUDIT_RETENTION_DAYS. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** Audit events (kind "audit") are kept at least this many days, and never less than EVENT_RETENTION_DAYS; 0 keeps them forever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /** Cron expression of the event retention job; empty disables it. */
  EVENT_RETENTION_SCHEDULE: z
    .string()
    .default('17 * * * *')
    .refine((v) => v === '' || isCron(v), 'must be a cron expression such as "17 * * * *"'),
  /** false only for local development and tests: every request then acts as an admin. */
  API_KEYS_REQUIRED: z.enum(['true', 'false']).default('true'),
  /** Admin key to create on a fresh install (vf_ + 43 URL-safe characters); generated and printed when unset. */
  BOOTSTRAP_ADMIN_KEY: z
    .string()
    .regex(/^vf_[A-Za-z0-9_-]{43}$/, 'must be vf_ followed by 43 URL-safe base64 characters')
    .optional(),
  /** Requests per minute per API key (token bucket). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /**
   * Failed key checks (unknown or revoked keys) per minute per client address (token bucket);
   * past it, 429 before any database look-up.
   */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /**
   * Reverse proxies whose X-Forwarded-For is believed, comma-separated: addresses, CIDR ranges,
   * or loopback / linklocal / uniquelocal. Empty: the TCP peer is the client, and the header is
   * ignored (anyone could write it).
   */
  TRUST_PROXY: z
    .string()
    .default('')
    .refine(
      (v) => v === '' || v.split(',').every((p) => isProxySpec(p.trim())),
      'must list addresses, CIDR ranges, loopback, linklocal or uniquelocal, separated by commas',
    ),
  /** Open event streams (GET /api/v1/events/stream) per API key, and per process in all. */
  EVENT_STREAMS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(50),
  EVENT_STREAMS_MAX: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
  /** Seconds between heartbeat comments on an idle event stream. */
  EVENT_STREAM_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /**
   * Directory whose node files may back simulated hosts (test:///<file>); empty: only
   * test:///default. libvirt reads the file, so arbitrary paths would leak file contents.
   */
  SIMULATED_HOSTS_DIR: z
    .string()
    .default('')
    .refine((v) => v === '' || v.startsWith('/'), 'must be an absolute path'),
  /**
   * Comma-separated directories whose sockets a host may be reached through (unix transport):
   * the system libvirtd's, and the private one scripts/libvirtd.sh starts for the test suite.
   */
  HOST_SOCKET_DIRS: z
    .string()
    .default('/run/libvirt,/var/run/libvirt,/run/virtfleet-libvirtd')
    .refine((v) => v.split(',').every((p) => isSafeDir(p.trim())), 'must be absolute, normalised paths separated by commas'),
  /** User name every ssh host connection logs in as; unset: ssh's default (the API's user). */
  HOST_SSH_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a plain user name')
    .optional(),
  /** Private key file for ssh host connections. */
  HOST_SSH_KEYFILE: z.string().refine(isSafeFile, 'must be an absolute, normalised path').optional(),
  /** known_hosts file for ssh host connections. */
  HOST_SSH_KNOWN_HOSTS: z.string().refine(isSafeFile, 'must be an absolute, normalised path').optional(),
  /**
   * Comma-separated names of the libvirt storage pools that guest disks, kernels, container rootfs
   * and bind mounts may come from; each path must be a managed volume (src/volumes) of one of them
   * on the guest's host, and volumes are created or adopted only in these pools.
   * Empty: guests may name no host storage.
   */
  STORAGE_POOLS: z
    .string()
    .default('default')
    .refine(
      (v) =>
        v
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .every((p) => /^[A-Za-z0-9_.+-]{1,128}$/.test(p)),
      'must be libvirt pool names separated by commas',
    ),
  /** Replaced by STORAGE_POOLS: a directory prefix cannot be checked on a remote host. Refused so an old setting is not silently ignored. */
  STORAGE_ROOTS: z
    .undefined({ error: 'was replaced by STORAGE_POOLS (libvirt storage pool names; see README "Guest storage")' })
    .optional(),
  /**
   * auto: QEMU guests use KVM where the host offers it, TCG otherwise. tcg: always TCG (full
   * emulation), e.g. where nested KVM cannot run real-mode boot code (a bootloader's).
   */
  QEMU_ACCELERATION: z.enum(['auto', 'tcg']).default('auto'),
  /** Containers without a rootfs share the host's root filesystem; refused unless true. */
  ALLOW_HOST_ROOT_CONTAINERS: z.enum(['true', 'false']).default('false'),
  /**
   * Serve fake:///<name> hosts from the in-memory fake driver (src/hypervisor/fake). For tests
   * only: a fake host has no guests anyone can reach, so off by default, and with it off such a
   * URI is refused like any other unknown scheme.
   */
  FAKE_HOSTS: z.enum(['true', 'false']).default('false'),
  /** Request body limit for the JSON parser. */
  /** Charge every guest its technique's overhead on top of its size (README "What each technique costs"). */
  OVERHEAD_CHARGING: z.enum(['true', 'false']).default('true'),
  /** An operator's own calibration (`npx tsx bench/overhead.bench.ts --out FILE`) instead of the shipped one. */
  OVERHEAD_CALIBRATION_FILE: z.string().refine(isSafeFile, 'must be an absolute, normalised path').optional(),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/)
    .default('256kb'),
});

export type AppConfig = Readonly<{
  port: number;
  bindAddress: string;
  databaseUrl: string;
  logLevel: (typeof logLevels)[number];
  demoHostUri: string | null;
  hypervisorCallTimeoutMs: number;
  /** 0: no cap. */
  migrationBandwidthMiBs: number;
  bodyLimit: string;
  reconcileIntervalMs: number;
  reconcileHostConcurrency: number;
  /** See HOST_LEASE_MS. */
  hostLeaseMs: number;
  apiKeysRequired: boolean;
  simulatedHostsDir: string | null;
  /** Where host connections may lead (see src/hypervisor/host-connection.ts). */
  hostConnections: ConnectionPolicy;
  /** Libvirt storage pools guest storage may come from. */
  storagePools: readonly string[];
  qemuAcceleration: 'auto' | 'tcg';
  allowHostRootContainers: boolean;
  /** See FAKE_HOSTS. */
  fakeHosts: boolean;
  bootstrapAdminKey: string | null;
  rateLimitPerMinute: number;
  authFailuresPerMinute: number;
  /** Express `trust proxy` entries; empty when no proxy is trusted. */
  trustProxy: readonly string[];
  eventStreams: Readonly<{ perKey: number; max: number; heartbeatSeconds: number }>;
  consolidation: Readonly<{
    schedule: string | null;
    autoExecute: boolean;
    migrationBudget: number;
    cooldownSeconds: number;
    allowColdMigration: boolean;
    maxUtilisation: number;
    planTimeoutMs: number;
  }>;
  eventRetention: Readonly<{ days: number; auditDays: number; schedule: string | null }>;
  /** What each driver's guests are charged beyond their size. */
  overhead: OverheadCharges;
}>;

// Same grammar as the host-connection builder's paths, so a configured value is always buildable.
function isSafeFile(p: string): boolean {
  return (
    p.startsWith('/') &&
    posix.normalize(p) === p &&
    !p.endsWith('/') &&
    p
      .slice(1)
      .split('/')
      .every((s) => /^[A-Za-z0-9._-]+$/.test(s) && s !== '.' && s !== '..')
  );
}

function isSafeDir(p: string): boolean {
  return isSafeFile(p.replace(/(.)\/+$/, '$1'));
}

const NAMED_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxySpec(spec: string): boolean {
  if (NAMED_PROXY_RANGES.has(spec)) return true;
  const [address, prefix, ...rest] = spec.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

function isCron(expression: string): boolean {
  try {
    new CronTime(expression);
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings from a half-filled .env mean "unset", except where empty is meaningful.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && (v !== '' || k === 'DEMO_HOST_URI' || k === 'STORAGE_POOLS')),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const c = parsed.data;
  let calibration = MEASURED_DEFAULTS;
  if (c.OVERHEAD_CALIBRATION_FILE) {
    try {
      calibration = parseCalibration(JSON.parse(readFileSync(c.OVERHEAD_CALIBRATION_FILE, 'utf8')));
    } catch (error) {
      throw new ConfigError([`OVERHEAD_CALIBRATION_FILE: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }
  return Object.freeze({
    port: c.PORT,
    bindAddress: c.BIND_ADDRESS,
    databaseUrl: c.DATABASE_URL,
    logLevel: c.LOG_LEVEL,
    demoHostUri: c.DEMO_HOST_URI === '' ? null : c.DEMO_HOST_URI,
    hypervisorCallTimeoutMs: c.HYPERVISOR_CALL_TIMEOUT_MS,
    migrationBandwidthMiBs: c.MIGRATION_BANDWIDTH_MIBS,
    bodyLimit: c.BODY_LIMIT,
    reconcileIntervalMs: c.RECONCILE_INTERVAL_MS,
    reconcileHostConcurrency: c.RECONCILE_HOST_CONCURRENCY,
    hostLeaseMs: c.HOST_LEASE_MS,
    apiKeysRequired: c.API_KEYS_REQUIRED === 'true',
    simulatedHostsDir: c.SIMULATED_HOSTS_DIR === '' ? null : c.SIMULATED_HOSTS_DIR,
    hostConnections: Object.freeze({
      socketDirs: Object.freeze(c.HOST_SOCKET_DIRS.split(',').map((p) => p.trim().replace(/\/+$/, ''))),
      simulatedHostsDir: c.SIMULATED_HOSTS_DIR === '' ? null : c.SIMULATED_HOSTS_DIR.replace(/\/+$/, ''),
      ssh: Object.freeze({
        user: c.HOST_SSH_USER ?? null,
        keyfile: c.HOST_SSH_KEYFILE ?? null,
        knownHosts: c.HOST_SSH_KNOWN_HOSTS ?? null,
      }),
    }),
    storagePools: Object.freeze(
      c.STORAGE_POOLS.split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
    qemuAcceleration: c.QEMU_ACCELERATION,
    allowHostRootContainers: c.ALLOW_HOST_ROOT_CONTAINERS === 'true',
    fakeHosts: c.FAKE_HOSTS === 'true',
    bootstrapAdminKey: c.BOOTSTRAP_ADMIN_KEY ?? null,
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: c.AUTH_FAILURES_PER_MINUTE,
    trustProxy: Object.freeze(c.TRUST_PROXY === '' ? [] : c.TRUST_PROXY.split(',').map((p) => p.trim())),
    eventStreams: Object.freeze({
      perKey: c.EVENT_STREAMS_PER_KEY,
      max: c.EVENT_STREAMS_MAX,
      heartbeatSeconds: c.EVENT_STREAM_HEARTBEAT_SECONDS,
    }),
    consolidation: Object.freeze({
      schedule: c.CONSOLIDATION_SCHEDULE === '' ? null : c.CONSOLIDATION_SCHEDULE,
      autoExecute: c.CONSOLIDATION_AUTO_EXECUTE === 'true',
      migrationBudget: c.CONSOLIDATION_MIGRATION_BUDGET,
      cooldownSeconds: c.CONSOLIDATION_COOLDOWN_SECONDS,
      allowColdMigration: c.CONSOLIDATION_ALLOW_COLD === 'true',
      maxUtilisation: c.CONSOLIDATION_MAX_UTILISATION,
      planTimeoutMs: c.CONSOLIDATION_PLAN_TIMEOUT_MS,
    }),
    eventRetention: Object.freeze({
      days: c.EVENT_RETENTION_DAYS,
      // Audit history is never kept for less time than the rest (0 = forever wins).
      auditDays:
        c.AUDIT_RETENTION_DAYS === 0 || c.EVENT_RETENTION_DAYS === 0 ? 0 : Math.max(c.AUDIT_RETENTION_DAYS, c.EVENT_RETENTION_DAYS),
      schedule: c.EVENT_RETENTION_SCHEDULE === '' ? null : c.EVENT_RETENTION_SCHEDULE,
    }),
    overhead: new OverheadCharges(c.OVERHEAD_CHARGING === 'true' ? calibration : zeroCalibration(calibration)),
  });
}

/** Nest injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
