// The in-memory world the fake driver acts on: a fleet of fake hosts, each with its guests and
// storage pools. One fleet is shared by every fake driver (one per kind) of a process, so a guest
// migrated between two fake hosts leaves one and arrives on the other, as with two libvirtds.
// Tests reach past the contract only through the methods marked "test hook": they do to a fake
// host what an operator or a crash does to a real one (a guest vanishes, a host stops answering).
import { DependencyUnavailableError, UnprocessableError } from '../../common/domain-errors.js';
import type { PowerState } from '../hypervisor-driver.js';
import type { DomainSpec } from '../xml/domain-spec.js';
import type { HostVolume } from '../volumes.js';

/**
 * Fake hosts are named by `fake:///<host-name>`: its own scheme, so no fake URI can ever reach
 * libvirt and no libvirt URI the fake. Host names are DNS labels.
 */
const FAKE_URI = /^fake:\/\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;

export function isFakeUri(uri: string): boolean {
  return FAKE_URI.test(uri);
}

export function fakeHostUri(name: string): string {
  const uri = `fake:///${name}`;
  if (!isFakeUri(uri)) throw new UnprocessableError(`"${name}" is not a fake host name (a DNS label)`);
  return uri;
}

export interface FakeHostOptions {
  cpus?: number;
  memoryMiB?: number;
  /** Storage pools guest storage may come from on this host (directory pools); none by default. */
  pools?: readonly string[];
  /**
   * Whether guests act on a graceful shutdown request. Off by default: like the contract's
   * diskless VMs and /bin/sleep containers, which have nothing that acts on it.
   */
  guestsHonourShutdown?: boolean;
}

export interface FakeGuest {
  spec: DomainSpec;
  /** The definition as the host keeps it (our builder's XML unless something rewrote it). */
  definition: string;
  state: Exclude<PowerState, 'missing' | 'unknown'>;
  reason: string;
  /** Like libvirt's domain id: a new number for every run, null while not running. */
  domainId: number | null;
  cpuTimeNs: number;
  /** Whether the guest OS acts on a graceful shutdown request. */
  honoursShutdown: boolean;
  /** Whether it carries our metadata (defined through a driver) or was defined by someone else. */
  managed: boolean;
  /** Test hook state: the next start fails (its next-boot definition names something missing). */
  bootBroken: boolean;
}

export class FakeHost {
  readonly guests = new Map<string, FakeGuest>();
  /** pool -> volume name -> volume. */
  readonly volumes = new Map<string, Map<string, HostVolume>>();
  readonly watchers = new Set<(instanceId: string) => void>();
  /** Bumped when the host stops answering: watches on the old "connection" end. */
  connection = 0;
  reachable = true;
  private nextDomainId = 1;

  constructor(
    readonly name: string,
    readonly cpus: number,
    readonly memoryMiB: number,
    readonly pools: readonly string[],
    readonly guestsHonourShutdown: boolean,
  ) {
    for (const pool of pools) this.volumes.set(pool, new Map());
  }

  get uri(): string {
    return fakeHostUri(this.name);
  }

  newDomainId(): number {
    return this.nextDomainId++;
  }

  /** Tell every watch, after the current call returns (libvirt delivers events from its own loop). */
  changed(instanceId: string): void {
    for (const watcher of [...this.watchers]) setImmediate(() => watcher(instanceId));
  }
}

export class FakeFleet {
  private readonly hosts = new Map<string, FakeHost>();

  /** Add a host to the fleet (test hook); its URI is `fake:///<name>`. */
  addHost(name: string, options: FakeHostOptions = {}): string {
    const uri = fakeHostUri(name);
    if (this.hosts.has(name)) throw new UnprocessableError(`fake host ${name} exists already`);
    this.hosts.set(
      name,
      new FakeHost(name, options.cpus ?? 16, options.memoryMiB ?? 32_768, options.pools ?? [], options.guestsHonourShutdown ?? false),
    );
    return uri;
  }

  /**
   * The host `uri` names, as a connection would reach it: an unknown or unreachable host fails
   * like a libvirtd that does not answer (503), never like a host without guests.
   */
  connect(uri: string): FakeHost {
    const name = FAKE_URI.exec(uri)?.[1];
    if (name === undefined) throw new UnprocessableError(`not a fake host URI: ${uri}`, { uri });
    const host = this.hosts.get(name);
    if (!host?.reachable) {
      throw new DependencyUnavailableError(`fake host ${name} is unreachable`, { uri, libvirtCode: 'VIR_ERR_NO_CONNECT' });
    }
    return host;
  }

  /** Test hook: the host stops (false) or starts again (true) answering; its watches end. */
  setReachable(uri: string, reachable: boolean): void {
    const host = this.hostOf(uri);
    if (!reachable && host.reachable) {
      host.connection++;
      host.watchers.clear();
    }
    host.reachable = reachable;
  }

  /** Test hook: the guest disappears from its host without any driver call (an operator's virsh undefine). */
  vanish(uri: string, instanceId: string): void {
    const host = this.hostOf(uri);
    if (host.guests.delete(instanceId)) host.changed(instanceId);
  }

  /** Test hook: the guest changes state without any driver call (a crash, a shutdown from inside). */
  setState(uri: string, instanceId: string, state: FakeGuest['state'], reason: string): void {
    const guest = this.guestOf(uri, instanceId);
    guest.state = state;
    guest.reason = reason;
    guest.domainId = state === 'shutoff' ? null : (guest.domainId ?? this.hostOf(uri).newDomainId());
    this.hostOf(uri).changed(instanceId);
  }

  /** Test hook: the definition as the host keeps it. */
  definitionOf(uri: string, instanceId: string): string {
    return this.guestOf(uri, instanceId).definition;
  }

  /** Test hook: something else rewrites the host's copy of the definition (virsh edit, another tool). */
  rewriteDefinition(uri: string, instanceId: string, rewrite: (xml: string) => string): void {
    const guest = this.guestOf(uri, instanceId);
    guest.definition = rewrite(guest.definition);
  }

  /** Test hook: the guest's next start fails (its next-boot definition names a missing disk or init). */
  breakNextBoot(uri: string, instanceId: string): void {
    this.guestOf(uri, instanceId).bootBroken = true;
  }

  /** Test hook: the running guest's current domain id (null while not running). */
  domainIdOf(uri: string, instanceId: string): number | null {
    return this.guestOf(uri, instanceId).domainId;
  }

  /** Test hook: a guest someone else defined on the host (no virtfleet metadata). */
  addForeignGuest(uri: string, guest: { instanceId: string; name: string; vcpus: number; memoryMiB: number; running: boolean }): void {
    const host = this.hostOf(uri);
    host.guests.set(guest.instanceId, {
      spec: {
        guestType: 'hvm',
        domainType: 'qemu',
        name: guest.name,
        uuid: guest.instanceId,
        instanceId: guest.instanceId,
        vcpus: guest.vcpus,
        memoryMiB: guest.memoryMiB,
        disks: [],
        networks: [],
        console: 'pty',
      },
      definition: '',
      state: guest.running ? 'running' : 'shutoff',
      reason: guest.running ? 'booted' : 'unknown',
      domainId: guest.running ? host.newDomainId() : null,
      cpuTimeNs: 0,
      honoursShutdown: host.guestsHonourShutdown,
      managed: false,
      bootBroken: false,
    });
    host.changed(guest.instanceId);
  }

  private hostOf(uri: string): FakeHost {
    const name = FAKE_URI.exec(uri)?.[1];
    const host = name === undefined ? undefined : this.hosts.get(name);
    if (!host) throw new UnprocessableError(`no fake host ${uri}`);
    return host;
  }

  private guestOf(uri: string, instanceId: string): FakeGuest {
    const guest = this.hostOf(uri).guests.get(instanceId);
    if (!guest) throw new UnprocessableError(`fake host ${uri} has no guest ${instanceId}`);
    return guest;
  }
}
