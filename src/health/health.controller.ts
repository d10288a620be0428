// Liveness answers without touching anything; readiness checks PostgreSQL and the hypervisor
// connections virtfleet is configured to use (every registered host's URI, offline ones too).
// One unreachable host is a fleet matter (the reconciler takes it offline), not a reason to take
// the control plane out of service: readiness fails on hypervisors only when hosts are
// registered and none of them answers, which is what a process that cannot reach libvirt at all
// (a missing socket, a broken deployment) looks like. Each probe gets PROBE_TIMEOUT_MS, so one
// hung host cannot hold the answer past a load balancer's probe timeout.
// Load balancers ask without a key and get each check's status only: host names and error texts
// (socket paths, addresses) map the fleet for whoever asks, so they need a viewer key.
import { Controller, Get, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { Public, roleAllows } from '../auth/roles.js';
import { ApiBearerAuth, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { ApiProblemResponses } from '../common/api-problem-responses.js';
import { currentCaller } from '../common/request-context.js';
import type { Host } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { fromDbDriverKind } from '../prisma/enum-mapping.js';
import { isLocallyBusy } from '../hypervisor/hypervisor-driver.js';
import { mapBounded } from '../common/bounded-map.js';
import { HostOwnershipService } from '../replicas/host-ownership.service.js';

/** Prisma wraps the driver's reason in a multi-line message; its last line is the useful one. */
function briefMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? 'unknown error'
  );
}

@ApiTags('health')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly drivers: DriversService,
    private readonly ownership: HostOwnershipService,
  ) {}

  /** The process is up. No dependency is consulted. */
  @Get('live')
  // Above @HealthCheck so that the problem+json 503 (what the filter sends) replaces terminus' own.
  @ApiProblemResponses(503)
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * PostgreSQL answers, and at least one registered host's hypervisor connection answers (all
   * are probed, offline ones too; unreachable ones do not make the API unready). Without an API
   * key the answer gives each check's status only; with a viewer key (or higher) it lists every
   * host by name with its error text.
   */
  @Get('ready')
  // The key is optional: no requirement ({}) or the bearer key.
  @ApiSecurity({})
  @ApiBearerAuth('api-key')
  @ApiProblemResponses(401, 429, 503)
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    const caller = currentCaller();
    const detailed = caller !== undefined && roleAllows(caller.role, 'viewer');
    try {
      const result = await this.health.check([() => this.checkPostgres(), () => this.checkHypervisors()]);
      return detailed ? result : statusOnly(result);
    } catch (error) {
      if (detailed || !(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException(statusOnly(error.getResponse() as HealthCheckResult));
    }
  }

  private async checkPostgres(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('postgres');
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return check.up();
    } catch (error) {
      return check.down({ message: briefMessage(error) });
    }
  }

  private async checkHypervisors(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('hypervisors');
    let hosts: Pick<Host, 'name' | 'uri' | 'driverKind'>[];
    try {
      // A replica that owns a share of the hosts (src/replicas) probes only its own.
      const owned = this.ownership.ownedHostIds();
      hosts = await this.prisma.host.findMany({
        where: owned ? { id: { in: owned } } : undefined,
        select: { name: true, uri: true, driverKind: true },
      });
    } catch {
      return check.down({ message: 'host list unavailable (PostgreSQL down)' });
    }
    // A few probes at a time, and none started once the budget is spent: readiness needs one
    // host that answers, not every host probed, and thousands of probes at once would queue
    // behind libuv's threads and time out there. A host not probed (budget spent, or this
    // process had no connection slot for it) is reported as such and not counted as down.
    const started = performance.now();
    const results = await mapBounded(hosts, PROBE_CONCURRENCY, async (h): Promise<readonly [string, HostProbe]> => {
      if (performance.now() - started > PROBE_BUDGET_MS) return [h.name, { status: 'not-probed' }];
      try {
        await this.drivers.get(fromDbDriverKind(h.driverKind)).ping(h.uri, PROBE_TIMEOUT_MS);
        return [h.name, { status: 'up' }];
      } catch (error) {
        if (isLocallyBusy(error)) return [h.name, { status: 'not-probed' }];
        return [h.name, { status: 'down', message: error instanceof Error ? error.message : String(error) }];
      }
    });
    const probed = results.filter(([, r]) => r.status !== 'not-probed').length;
    const detail = {
      hosts: Object.fromEntries(results),
      unreachable: results.filter(([, r]) => r.status === 'down').length,
      notProbed: results.length - probed,
    };
    // Hosts registered and none probed: nothing says this process can reach libvirt at all.
    if (hosts.length > 0 && probed === 0) return check.down(detail);
    return hypervisorsReady(probed, detail.unreachable) ? check.up(detail) : check.down(detail);
  }
}

/** `result` with each check reduced to its status. */
export function statusOnly(result: HealthCheckResult): HealthCheckResult {
  const reduce = (checks: Partial<HealthIndicatorResult> | undefined): HealthIndicatorResult | undefined =>
    checks && Object.fromEntries(Object.entries(checks).flatMap(([name, check]) => (check ? [[name, { status: check.status }]] : [])));
  return { status: result.status, info: reduce(result.info), error: reduce(result.error), details: reduce(result.details)! };
}

/** How long one host's probe may take; a host slower than this counts as down for readiness. */
const PROBE_TIMEOUT_MS = 750;
/** Probes in flight at once. */
const PROBE_CONCURRENCY = 16;
/** No probe starts after this long: the answer stays well inside a load balancer's probe timeout. */
const PROBE_BUDGET_MS = 2_000;

type HostProbe = { status: 'up' } | { status: 'down'; message: string } | { status: 'not-probed' };

/** Ready unless every registered host failed its probe: no hosts at all is a fresh install, not a fault. */
export function hypervisorsReady(probed: number, unreachable: number): boolean {
  return probed === 0 || unreachable < probed;
}
