// Prometheus metrics of this API process: its HTTP answers and placement claims as they
// happen, and the fleet as PostgreSQL has it (hosts by state, capacity and allocations per
// host, operations in flight) read at scrape time, so that every replica reports the same
// fleet (sum the fleet gauges over one replica, not over all). When PostgreSQL cannot be read,
// the scrape still answers, with `virtfleet_fleet_read_ok` 0 and without the fleet gauges: the
// process metrics matter most exactly then. One registry per application (not prom-client's
// global one), so that several apps in one process (the tests) do not collide.
import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createRequire } from 'node:module';
import { type Resources, usableCapacity } from '../common/resources.js';
import { fromDbPowerState } from '../prisma/enum-mapping.js';
import { HostState } from '../generated/prisma/enums.js';
import type { HostCandidate } from '../placement/placement-types.js';
import { PrismaService } from '../prisma/prisma.service.js';

/** How a claim ended: on a host, with no valid host (409 with reasons), or lost to concurrent claims. */
export type ClaimOutcome = 'placed' | 'no_valid_host' | 'raced';

const BUILD_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

interface PerResourceGauges {
  vcpus: Gauge<'host'>;
  memoryBytes: Gauge<'host'>;
  diskBytes: Gauge<'host'>;
}

function perResourceGauges(registry: Registry, what: 'capacity' | 'allocated', help: string): PerResourceGauges {
  const gauge = (unit: string, of: string) =>
    new Gauge({ name: `virtfleet_host_${what}_${unit}`, help: `${help}: ${of}.`, labelNames: ['host'] as const, registers: [registry] });
  return {
    vcpus: gauge('vcpus', 'vCPUs'),
    memoryBytes: gauge('memory_bytes', 'memory in bytes'),
    diskBytes: gauge('disk_bytes', 'disk in bytes'),
  };
}

function setPerResource(gauges: PerResourceGauges, host: string, r: Resources): void {
  gauges.vcpus.set({ host }, r.vcpus);
  gauges.memoryBytes.set({ host }, r.memoryMiB * MIB);
  gauges.diskBytes.set({ host }, r.diskGiB * GIB);
}

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger(MetricsService.name);

  private readonly httpDuration = new Histogram({
    name: 'virtfleet_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly claims = new Counter({
    name: 'virtfleet_placement_claims_total',
    help: 'Placement claims decided, by outcome: placed, no_valid_host (409 with per-filter reasons), raced (concurrent claims filled every candidate). A placed claim whose transaction rolls back later stays counted.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly decisionSeconds = new Histogram({
    name: 'virtfleet_placement_decision_seconds',
    help: 'In-process time to rank the candidate hosts of one claim (the fleet snapshot read not included).',
    buckets: [5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2],
    registers: [this.registry],
  });

  // The fleet as PostgreSQL has it, read once per scrape (`scrape`).
  private readonly hosts = new Gauge({
    name: 'virtfleet_hosts',
    help: 'Registered hosts by state.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  // One series per resource, each in its base unit (Prometheus naming): vCPUs are counted,
  // memory and disk are bytes. A single series mixing vCPUs, MiB and GiB could not be summed.
  private readonly capacity = perResourceGauges(
    this.registry,
    'capacity',
    'What a host may hand out: physical capacity × overcommit ratio, rounded down',
  );

  private readonly allocated = perResourceGauges(
    this.registry,
    'allocated',
    'What is claimed on a host (instances and migration reservations)',
  );

  private readonly instances = new Gauge({
    name: 'virtfleet_instances',
    help: 'Instances by observed state (what libvirt last said) and desired state (what the API asked for).',
    labelNames: ['observed_state', 'desired_state'] as const,
    registers: [this.registry],
  });

  private readonly operations = new Gauge({
    name: 'virtfleet_operations_in_flight',
    help: 'Operations not yet ended, by status (pending, running).',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  private readonly sweepSeconds = new Histogram({
    name: 'virtfleet_reconciler_sweep_duration_seconds',
    help: 'Time of one reconciler sweep of this process, by trigger (timer, admin); skipped sweeps (another replica held the lock) not included.',
    labelNames: ['trigger'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  private readonly drift = new Counter({
    name: 'virtfleet_reconciler_drift_total',
    help: 'Drift the reconciler found between desired and observed state, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly libvirtSeconds = new Histogram({
    name: 'virtfleet_libvirt_call_duration_seconds',
    help: 'Time of one libvirt call of this process (waiting for the connection included), by host URI.',
    labelNames: ['host'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [this.registry],
  });

  private readonly libvirtErrors = new Counter({
    name: 'virtfleet_libvirt_call_errors_total',
    help: 'libvirt calls of this process that failed (libvirt error, unreachable host or timeout), by host URI.',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  private readonly migrations = new Counter({
    name: 'virtfleet_migrations_total',
    help: 'Migrations carried out by this process, by mode (live, cold) and outcome (succeeded, failed, aborted: cancelled).',
    labelNames: ['mode', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly fleetReadOk = new Gauge({
    name: 'virtfleet_fleet_read_ok',
    help: '1 when this scrape read the fleet from PostgreSQL, 0 when it could not (the fleet gauges are then absent).',
    registers: [this.registry],
  });

  /** The hosts with what is claimed on them: placement's snapshot, so both read the fleet alike. */
  private fleetSource: (() => Promise<HostCandidate[]>) | null = null;

  constructor(private readonly prisma: PrismaService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'virtfleet_' });
    new Gauge({
      name: 'virtfleet_build_info',
      help: 'Always 1; the labels say which virtfleet and Node.js this process runs.',
      labelNames: ['version', 'node_version'] as const,
      registers: [this.registry],
    }).set({ version: BUILD_VERSION, node_version: process.versions.node }, 1);
  }

  private fleetGauges(): Gauge<string>[] {
    return [
      this.hosts,
      this.operations,
      this.instances,
      ...Object.values(this.capacity),
      ...Object.values(this.allocated),
    ] as Gauge<string>[];
  }

  /** Set by PlacementService (which itself reports claims here, hence a function, not an injection). */
  readFleetFrom(source: () => Promise<HostCandidate[]>): void {
    this.fleetSource = source;
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  claimEnded(outcome: ClaimOutcome): void {
    this.claims.inc({ outcome });
  }

  decisionTook(seconds: number): void {
    this.decisionSeconds.observe(seconds);
  }

  sweepEnded(trigger: string, seconds: number, driftKinds: readonly string[]): void {
    this.sweepSeconds.observe({ trigger }, seconds);
    for (const kind of driftKinds) this.drift.inc({ kind });
  }

  libvirtCallEnded(hostUri: string, seconds: number, failed: boolean): void {
    this.libvirtSeconds.observe({ host: hostUri }, seconds);
    if (failed) this.libvirtErrors.inc({ host: hostUri });
  }

  migrationEnded(mode: 'live' | 'cold', outcome: 'succeeded' | 'failed' | 'aborted'): void {
    this.migrations.inc({ mode, outcome });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    try {
      await this.readFleet();
      this.fleetReadOk.set(1);
    } catch (error) {
      for (const gauge of this.fleetGauges()) gauge.reset();
      this.fleetReadOk.set(0);
      this.logger.warn({ msg: 'metrics: fleet not read from PostgreSQL', error: String(error) });
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async readFleet(): Promise<void> {
    const [hosts, inFlight, instances] = await Promise.all([
      this.fleetSource?.() ?? [],
      this.prisma.operation.groupBy({ by: ['status'], where: { status: { in: ['pending', 'running'] } }, _count: { _all: true } }),
      this.prisma.instance.groupBy({ by: ['observedState', 'desiredState'], _count: { _all: true } }),
    ]);
    // Reset first: a host removed since the last scrape must disappear, not keep its last value.
    for (const gauge of this.fleetGauges()) gauge.reset();
    // Every state is a sample, 0 included: "offline 0" is a fact a dashboard can show.
    const byState = new Map<string, number>(Object.values(HostState).map((state) => [state, 0]));
    for (const h of hosts) {
      byState.set(h.state, (byState.get(h.state) ?? 0) + 1);
      setPerResource(this.capacity, h.name, usableCapacity(h.physical, h.ratios));
      setPerResource(this.allocated, h.name, h.used);
    }
    for (const i of instances)
      this.instances.set({ observed_state: fromDbPowerState(i.observedState), desired_state: i.desiredState }, i._count._all);
    for (const [state, count] of byState) this.hosts.set({ state }, count);
    for (const status of ['pending', 'running'] as const) {
      this.operations.set({ status }, inFlight.find((o) => o.status === status)?._count._all ?? 0);
    }
  }
}
