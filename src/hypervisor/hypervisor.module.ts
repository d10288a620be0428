import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { LibvirtConnectionPool } from './libvirt/libvirt-connection-pool.js';
import { DriverRegistry } from './driver-registry.js';
import { FakeFleet } from './fake/fake-fleet.js';

/** Nest shell around the connection pool: closes every libvirt connection on shutdown. */
@Injectable()
export class LibvirtPoolService extends LibvirtConnectionPool implements OnApplicationShutdown {
  constructor(@Inject(APP_CONFIG) config: AppConfig, metrics: MetricsService) {
    super(config.hypervisorCallTimeoutMs);
    this.observeCalls((uri, seconds, failed) => metrics.libvirtCallEnded(uri, seconds, failed));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeAll();
  }
}

/** Nest shell around the driver registry: checks the libvirt libraries once at start-up. */
@Injectable()
export class DriversService extends DriverRegistry implements OnModuleInit {
  private readonly logger = new Logger('Drivers');

  constructor(pool: LibvirtPoolService, @Inject(APP_CONFIG) config: AppConfig) {
    super(pool, { allowedPools: config.storagePools }, config.qemuAcceleration, config.fakeHosts ? new FakeFleet() : null);
  }

  async onModuleInit(): Promise<void> {
    for (const s of await this.probeLibraries()) {
      if (!s.operational) this.logger.error({ msg: 'driver not operational', driver: s.kind, reason: s.reason });
    }
  }
}

@Global()
@Module({ providers: [LibvirtPoolService, DriversService], exports: [LibvirtPoolService, DriversService] })
export class HypervisorModule {}
