import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiConditionalGet, ETAG_HEADER, LOCATION_HEADER } from '../common/openapi-conventions.js';
import type { Response } from 'express';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { etagOf, expectedVersion } from '../common/etag.js';
import { HostsService } from './hosts.service.js';
import { problemFromException } from '../common/problem-details.filter.js';
import { Role } from '../auth/roles.js';
import {
  AddHostEndpointDto,
  HostDto,
  HostPageDto,
  ListHostsQuery,
  MaintenanceDto,
  RegisterHostDto,
  RegisterHostsDto,
  HostRegistrationsDto,
  UpdateHostDto,
  DrainHostDto,
  DrainResultDto,
} from './dto/host.dto.js';

@ApiTags('hosts')
@ApiKeyProtected()
@Controller({ path: 'hosts', version: '1' })
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  /**
   * Register a physical server, described by `connection` (virtfleet builds the libvirt URI; a
   * `uri` is accepted only when it is exactly that URI). It is probed first: a connection outside
   * the allow-lists is refused with 400 before libvirt is asked, an unreachable host with 422.
   * A machine is registered once, whatever URI reaches it (libvirt's host UUID identifies it):
   * 409 naming the existing host when it is registered already; when only for another driver,
   * the 409 says to add this driver as an endpoint of that host (POST /hosts/{id}/endpoints).
   */
  @Post()
  @Role('admin')
  @ApiCreatedResponse({ type: HostDto, headers: { ...LOCATION_HEADER, ...ETAG_HEADER } })
  @ApiProblemResponses(400, 409, 422)
  async register(@Body() dto: RegisterHostDto, @Res({ passthrough: true }) res: Response): Promise<HostDto> {
    const host = await this.hosts.register(dto);
    res.setHeader('ETag', etagOf(host.version));
    res.setHeader('Location', `/api/v1/hosts/${host.id}`);
    return host;
  }

  /**
   * Register up to 1,000 hosts in one call, each exactly as POST /api/v1/hosts would (probed,
   * refused for the same reasons), a few probes at a time. The answer is 200 with one result per
   * host in request order: 201 and the host, or the problem that host alone would have got. A
   * malformed body (not the hosts' reachability) is a 400 and registers nothing.
   */
  @Post('bulk')
  @HttpCode(200)
  @Role('admin')
  @ApiOkResponse({ type: HostRegistrationsDto })
  @ApiProblemResponses(400)
  async registerMany(@Body() dto: RegisterHostsDto): Promise<HostRegistrationsDto> {
    const settled = await this.hosts.registerMany(dto.hosts);
    const results = settled.map((outcome, index) => {
      const name = dto.hosts[index]?.name ?? '';
      if (outcome.status === 'fulfilled') return { index, name, status: 201, host: outcome.value };
      const problem = problemFromException(outcome.reason);
      return { index, name, status: problem.status, problem };
    });
    const registered = results.filter((r) => r.status === 201).length;
    return { results, registered, failed: results.length - registered };
  }

  /** List hosts with capacity, allocation and utilisation. */
  @Get()
  @ApiProblemResponses(400)
  list(@Query() q: ListHostsQuery): Promise<HostPageDto> {
    return this.hosts.list(q);
  }

  /** One host with capacity, allocation and utilisation. */
  @Get(':id')
  @ApiConditionalGet()
  @ApiOkResponse({ type: HostDto, headers: ETAG_HEADER })
  @ApiProblemResponses(400, 404)
  async get(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<HostDto> {
    const host = await this.hosts.get(id);
    res.setHeader('ETag', etagOf(host.version));
    return host;
  }

  /** Change ratios, disk capacity, labels or operator traits. */
  @Patch(':id')
  @Role('admin')
  @ApiOkResponse({ type: HostDto, headers: ETAG_HEADER })
  @ApiProblemResponses(400, 404, 409, 412)
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version being changed; 412 when stale' })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateHostDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HostDto> {
    const host = await this.hosts.update(id, dto, expectedVersion(ifMatch));
    res.setHeader('ETag', etagOf(host.version));
    return host;
  }

  /** Switch maintenance on (no new placements) or off. */
  @Post(':id/maintenance')
  @Role('admin')
  @HttpCode(200)
  @ApiProblemResponses(400, 404, 409)
  maintenance(@Param('id', ParseUUIDPipe) id: string, @Body() dto: MaintenanceDto): Promise<HostDto> {
    return this.hosts.setMaintenance(id, dto.enabled);
  }

  /** Drain: no new placements, and every instance migrated away (or stopped, per policy) as operations. */
  @Post(':id/drain')
  @Role('admin')
  @HttpCode(202)
  @ApiProblemResponses(400, 404, 409)
  drain(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DrainHostDto): Promise<DrainResultDto> {
    return this.hosts.drain(id, dto.policy ?? 'migrate', dto.targetHostLabels, dto.allowDowntime ?? false);
  }

  /**
   * Add another driver of the host's libvirt (e.g. LXC beside QEMU): probed first; 422 when the
   * connection reaches another machine, 409 when the host has that driver already. The host's
   * capacity and allocations stay one; its traits gain the driver's.
   */
  @Post(':id/endpoints')
  @Role('admin')
  @ApiCreatedResponse({ type: HostDto, headers: { ...LOCATION_HEADER, ...ETAG_HEADER } })
  @ApiProblemResponses(400, 404, 409, 422)
  async addEndpoint(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddHostEndpointDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HostDto> {
    const host = await this.hosts.addEndpoint(id, dto);
    res.setHeader('ETag', etagOf(host.version));
    res.setHeader('Location', `/api/v1/hosts/${host.id}`);
    return host;
  }

  /** Remove one driver endpoint; 409 while instances of that driver are on the host, or when it is the last one. */
  @Delete(':id/endpoints/:endpointId')
  @Role('admin')
  @ApiOkResponse({ type: HostDto, headers: ETAG_HEADER })
  @ApiProblemResponses(400, 404, 409)
  async removeEndpoint(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('endpointId', ParseUUIDPipe) endpointId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HostDto> {
    const host = await this.hosts.removeEndpoint(id, endpointId);
    res.setHeader('ETag', etagOf(host.version));
    return host;
  }

  /** Remove a host; refused with 409 while it holds instances. */
  @Delete(':id')
  @Role('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The host is removed.' })
  @ApiProblemResponses(400, 404, 409)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.hosts.remove(id);
  }
}
