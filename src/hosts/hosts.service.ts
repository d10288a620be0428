import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { LibvirtPoolService } from '../hypervisor/hypervisor.module.js';
import type { HostDto } from './dto/host.dto.js';

@Injectable()
export class HostsService {
  private readonly logger = new Logger(HostsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly libvirt: LibvirtPoolService,
  ) {}

  list(): Promise<HostDto[]> {
    return this.prisma.host.findMany({ orderBy: { name: 'asc' } });
  }

  /**
   * Register libvirt's in-process test hypervisor as a demo host so a fresh install has
   * something to list. The host is probed first: an unreachable URI is not registered.
   */
  async ensureDemoHost(uri: string): Promise<void> {
    const hostname = await this.libvirt.run(uri, 'probing the demo host', (s) => s.hypervisor.connectGetHostname());
    const existing = await this.prisma.host.findUnique({ where: { uri } });
    if (existing) return;
    await this.prisma.host.create({ data: { name: `demo-${hostname}`.slice(0, 63), uri, driverKind: 'qemu-kvm' } });
    this.logger.log({ msg: 'registered demo host', uri });
  }
}
