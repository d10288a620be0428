import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LibvirtConnectionPool } from './libvirt/libvirt-connection-pool.js';

/** Nest shell around the connection pool: closes every libvirt connection on shutdown. */
@Injectable()
export class LibvirtPoolService extends LibvirtConnectionPool implements OnApplicationShutdown {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.hypervisorCallTimeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeAll();
  }
}

@Global()
@Module({ providers: [LibvirtPoolService], exports: [LibvirtPoolService] })
export class HypervisorModule {}
