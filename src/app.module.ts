import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { PrismaModule } from './prisma/prisma.module.js';
import { HypervisorModule } from './hypervisor/hypervisor.module.js';
import { HealthModule } from './health/health.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { EventsModule } from './events/events.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { InstancesModule } from './instances/instances.module.js';
import { ReconcilerModule } from './reconciler/reconciler.module.js';
import { ConsolidationModule } from './consolidation/consolidation.module.js';
import { AuthModule } from './auth/auth.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { VolumesModule } from './volumes/volumes.module.js';
import { ImagesModule } from './images/images.module.js';
import { EventRetentionModule } from './events/event-retention.module.js';
import { ReplicasModule } from './replicas/replicas.module.js';

@Global()
@Module({})
class ConfigModule {
  static with(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

@Module({})
export class AppModule {
  /** The application for a given, already validated configuration. */
  static with(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.with(config),
        PrismaModule,
        MetricsModule,
        EventsModule,
        AuthModule,
        OperationsModule,
        HypervisorModule,
        ReplicasModule,
        HealthModule,
        HostsModule,
        VolumesModule,
        ImagesModule,
        InstancesModule,
        ReconcilerModule,
        ConsolidationModule,
        EventRetentionModule,
      ],
    };
  }
}
