// One driver kind with fake hosts enabled (FAKE_HOSTS): calls on a fake:///<name> host go to the
// fake driver, every other URI to the real one. The choice is by the URI a call names (for a
// migration, the source's), so the services above stay unchanged and cannot tell the two apart.
// A fake host reaches only fake hosts, and libvirt refuses a fake URI as not one virtfleet builds.
import type { DriverCapabilities, DriverKind } from '../capabilities.js';
import type { DomainSpec } from '../xml/domain-spec.js';
import type {
  GuestRef,
  GuestStats,
  GuestWatch,
  HostFacts,
  HypervisorDriver,
  MigrationOptions,
  ObservedGuest,
  ObservedState,
  ShutdownOutcome,
} from '../hypervisor-driver.js';
import type { HostVolume, ManagedVolumes, NewVolume } from '../volumes.js';
import { isFakeUri } from './fake-fleet.js';

export class FakeOrRealDriver implements HypervisorDriver {
  constructor(
    private readonly real: HypervisorDriver,
    private readonly fake: HypervisorDriver,
  ) {}

  get kind(): DriverKind {
    return this.real.kind;
  }

  get capabilities(): DriverCapabilities {
    return this.real.capabilities;
  }

  private for(uri: string): HypervisorDriver {
    return isFakeUri(uri) ? this.fake : this.real;
  }

  ping(uri: string, timeoutMs?: number): Promise<void> {
    return this.for(uri).ping(uri, timeoutMs);
  }
  probe(uri: string): Promise<HostFacts> {
    return this.for(uri).probe(uri);
  }
  define(uri: string, spec: DomainSpec, volumes?: ManagedVolumes): Promise<void> {
    return this.for(uri).define(uri, spec, volumes);
  }
  checkStorage(uri: string, spec: DomainSpec, volumes?: ManagedVolumes): Promise<void> {
    return this.for(uri).checkStorage(uri, spec, volumes);
  }
  createVolume(uri: string, volume: NewVolume): Promise<HostVolume> {
    return this.for(uri).createVolume(uri, volume);
  }
  findVolume(uri: string, pool: string, name: string): Promise<HostVolume | null> {
    return this.for(uri).findVolume(uri, pool, name);
  }
  deleteVolume(uri: string, pool: string, name: string): Promise<boolean> {
    return this.for(uri).deleteVolume(uri, pool, name);
  }
  copyVolume(sourceUri: string, targetUri: string, pool: string, name: string, capacityBytes: number) {
    return this.for(sourceUri).copyVolume(sourceUri, targetUri, pool, name, capacityBytes);
  }
  start(uri: string, guest: GuestRef): Promise<void> {
    return this.for(uri).start(uri, guest);
  }
  shutdown(uri: string, guest: GuestRef, timeoutMs: number): Promise<ShutdownOutcome> {
    return this.for(uri).shutdown(uri, guest, timeoutMs);
  }
  forceStop(uri: string, guest: GuestRef): Promise<void> {
    return this.for(uri).forceStop(uri, guest);
  }
  reboot(uri: string, guest: GuestRef): Promise<void> {
    return this.for(uri).reboot(uri, guest);
  }
  suspend(uri: string, guest: GuestRef): Promise<void> {
    return this.for(uri).suspend(uri, guest);
  }
  resume(uri: string, guest: GuestRef): Promise<void> {
    return this.for(uri).resume(uri, guest);
  }
  undefine(uri: string, guest: GuestRef): Promise<void> {
    return this.for(uri).undefine(uri, guest);
  }
  observe(uri: string, guest: GuestRef): Promise<ObservedState> {
    return this.for(uri).observe(uri, guest);
  }
  listGuests(uri: string): Promise<ObservedGuest[]> {
    return this.for(uri).listGuests(uri);
  }
  watchGuests(uri: string, onChange: (instanceId: string) => void): Promise<GuestWatch> {
    return this.for(uri).watchGuests(uri, onChange);
  }
  stats(uri: string, guest: GuestRef): Promise<GuestStats> {
    return this.for(uri).stats(uri, guest);
  }
  liveMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, options?: MigrationOptions): Promise<void> {
    return this.for(sourceUri).liveMigrate(sourceUri, spec, targetUri, options);
  }
  coldMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, targetVolumes?: ManagedVolumes): Promise<void> {
    return this.for(sourceUri).coldMigrate(sourceUri, spec, targetUri, targetVolumes);
  }
}
