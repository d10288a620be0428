import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyProtected, ApiProblemResponses } from '../common/api-problem-responses.js';
import { CreateVolumeDto, ListVolumesQuery, VolumeDto, VolumePageDto } from './dto/volume.dto.js';
import { VolumesService } from './volumes.service.js';

@ApiTags('volumes')
@ApiKeyProtected()
@Controller({ path: 'hosts/:hostId/volumes', version: '1' })
export class VolumesController {
  constructor(private readonly volumes: VolumesService) {}

  /**
   * Create an empty managed volume in an allowed storage pool of the host (operator), or adopt an
   * existing libvirt volume of such a pool as managed (`adopt: true`, admin only, audited). Guest
   * storage paths are accepted only when they are managed volumes of the guest's host.
   */
  @Post()
  @ApiProblemResponses(400, 404, 409, 422, 502, 503)
  async create(
    @Param('hostId', ParseUUIDPipe) hostId: string,
    @Body() dto: CreateVolumeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VolumeDto> {
    const volume = await this.volumes.create(hostId, dto);
    res.setHeader('Location', `/api/v1/hosts/${hostId}/volumes/${volume.id}`);
    return volume;
  }

  /** The host's managed volumes. */
  @Get()
  @ApiProblemResponses(400, 404)
  list(@Param('hostId', ParseUUIDPipe) hostId: string, @Query() q: ListVolumesQuery): Promise<VolumePageDto> {
    return this.volumes.list(hostId, q);
  }

  /** One managed volume. */
  @Get(':volumeId')
  @ApiProblemResponses(400, 404)
  get(@Param('hostId', ParseUUIDPipe) hostId: string, @Param('volumeId', ParseUUIDPipe) volumeId: string): Promise<VolumeDto> {
    return this.volumes.get(hostId, volumeId);
  }

  /**
   * Delete a managed volume; 409 while an instance on the host uses it, or for a directory volume
   * that is not empty (libvirt removes only empty ones). A created volume is deleted on the host
   * with its data; an adopted one is released (kept on the host, no longer managed).
   */
  @Delete(':volumeId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The volume is deleted (or, when adopted, released).' })
  @ApiProblemResponses(400, 404, 409, 422, 502, 503)
  async remove(@Param('hostId', ParseUUIDPipe) hostId: string, @Param('volumeId', ParseUUIDPipe) volumeId: string): Promise<void> {
    await this.volumes.remove(hostId, volumeId);
  }
}
