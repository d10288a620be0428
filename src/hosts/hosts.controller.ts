import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HostsService } from './hosts.service.js';
import { HostListDto } from './dto/host.dto.js';

@ApiTags('hosts')
@Controller({ path: 'hosts', version: '1' })
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  /** List registered hosts. */
  @Get()
  async list(): Promise<HostListDto> {
    return { items: await this.hosts.list() };
  }
}
