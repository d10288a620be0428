import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiConditionalGet, ETAG_HEADER, LOCATION_HEADER } from '../common/openapi-conventions.js';
import { BOOT_SPEC_DTOS, XenPvBootloaderDto, XenPvKernelBootDto } from './dto/boot-spec.dto.js';
import type { Response } from 'express';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { etagOf, expectedVersion } from '../common/etag.js';
import { InstancesService } from './instances.service.js';
import {
  AcceptedOperationDto,
  CreateInstanceDto,
  InstanceDto,
  InstancePlacementGroupDto,
  InstancePageDto,
  ListInstancesQuery,
  MigrateDto,
  StopDto,
  UpdateInstanceDto,
  DeleteInstanceQuery,
} from './dto/instance.dto.js';
import type { InstanceAction } from './instance-transitions.js';

/** Every 202 here: Location names the operation, ETag the instance's new version. */
const ACCEPTED = {
  type: AcceptedOperationDto,
  description: 'The operation was started; poll it at Location.',
  headers: { ...LOCATION_HEADER, ...ETAG_HEADER },
};

const accepted = (res: Response, a: AcceptedOperationDto) => {
  res.setHeader('Location', `/api/v1/operations/${a.operationId}`);
  res.setHeader('ETag', etagOf(a.instance.version));
  return a;
};

@ApiTags('instances')
@ApiKeyProtected()
@ApiExtraModels(...BOOT_SPEC_DTOS, XenPvKernelBootDto, XenPvBootloaderDto, InstancePlacementGroupDto)
@Controller({ path: 'instances', version: '1' })
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  /** Create an instance: placement chooses a host (or `hostId` pins one); defining and starting run as an operation. */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422, 503)
  async create(@Body() dto: CreateInstanceDto, @Res({ passthrough: true }) res: Response): Promise<AcceptedOperationDto> {
    return accepted(res, await this.instances.create(dto));
  }

  /** List instances with desired, observed and task state. */
  @Get()
  @ApiProblemResponses(400)
  list(@Query() q: ListInstancesQuery): Promise<InstancePageDto> {
    return this.instances.list(q);
  }

  /** One instance with desired, observed and task state. */
  @Get(':id')
  @ApiConditionalGet()
  @ApiOkResponse({ type: InstanceDto, headers: ETAG_HEADER })
  @ApiProblemResponses(400, 404)
  async get(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<InstanceDto> {
    const i = await this.instances.get(id);
    res.setHeader('ETag', etagOf(i.version));
    return i;
  }

  /** Resize (shut-off instances only), relabel, pin. */
  @Patch(':id')
  @ApiOkResponse({ type: InstanceDto, headers: ETAG_HEADER })
  @ApiProblemResponses(400, 404, 409, 412)
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version being changed; 412 when stale' })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateInstanceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InstanceDto> {
    const i = await this.instances.update(id, dto, expectedVersion(ifMatch));
    res.setHeader('ETag', etagOf(i.version));
    return i;
  }

  /** Delete: force-stops and undefines the guest, frees its allocation; deletes its root disk and (unless `keepVolumes=true`) its attached data volumes. */
  @Delete(':id')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: DeleteInstanceQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedOperationDto> {
    return accepted(res, await this.instances.act(id, 'delete', { keepVolumes: q.keepVolumes === 'true' }));
  }

  /** Start a shut-off instance. */
  @Post(':id/start')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  start(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    return this.action(id, 'start', res);
  }

  /** Graceful shutdown; the operation fails (and says so) when the guest does not stop in time. */
  @Post(':id/stop')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  async stop(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StopDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedOperationDto> {
    return accepted(res, await this.instances.act(id, 'stop', { stopTimeoutSeconds: dto.timeoutSeconds }));
  }

  /** Power off at once, without asking the guest. */
  @Post(':id/force-stop')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  forceStop(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    return this.action(id, 'force-stop', res);
  }

  /**
   * Restart the instance: the hypervisor stops it at once and starts it again from its
   * definition (a hard reboot; for a graceful one, stop then start). The operation succeeds only
   * when the guest was really started anew; otherwise it fails and the instance shows where the
   * guest is (e.g. shut off when it could not start again).
   */
  @Post(':id/reboot')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  reboot(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    return this.action(id, 'reboot', res);
  }

  /** Pause a running instance; its memory stays allocated. */
  @Post(':id/suspend')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  suspend(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    return this.action(id, 'suspend', res);
  }

  /** Continue a suspended instance. */
  @Post(':id/resume')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  resume(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    return this.action(id, 'resume', res);
  }

  /** Move to another host: live where the driver can and the guest runs, cold otherwise. */
  @Post(':id/migrate')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422, 503)
  async migrate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MigrateDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedOperationDto> {
    return accepted(res, await this.instances.act(id, 'migrate', { migrate: dto }));
  }

  private async action(id: string, action: InstanceAction, res: Response): Promise<AcceptedOperationDto> {
    return accepted(res, await this.instances.act(id, action));
  }
}
