import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyProtected, ApiProblemResponses } from '../common/api-problem-responses.js';
import { LOCATION_HEADER } from '../common/openapi-conventions.js';
import { AcceptedVolumeOperationDto, AttachVolumeDto } from './dto/volume.dto.js';
import { VolumeAttachmentsService } from './volume-attachments.service.js';

const ACCEPTED = {
  type: AcceptedVolumeOperationDto,
  description: 'The operation was started; poll it at Location.',
  headers: { ...LOCATION_HEADER },
};

const accepted = (res: Response, a: AcceptedVolumeOperationDto) => {
  res.setHeader('Location', `/api/v1/operations/${a.operationId}`);
  return a;
};

@ApiTags('volumes')
@ApiKeyProtected()
@Controller({ path: 'instances/:id/volumes', version: '1' })
export class VolumeAttachmentsController {
  constructor(private readonly attachments: VolumeAttachmentsService) {}

  /**
   * Attach a data disk: a managed file volume (raw or qcow2) of the instance's host (`volumeId`),
   * or a new one created first in a pool of that host (`pool`, `name`, `capacityGiB`, `format`;
   * deleted again when the attach fails, e.g. a pool too full: the operation fails with 422). The
   * definition is rebuilt from the stored spec with the disk added. A running guest sees it from
   * its next start. 409 while the volume is attached elsewhere, is an image or a root disk, or the
   * instance is busy; 422 for a volume of another host, a directory, or a guest type without disks.
   */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  async attach(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AttachVolumeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedVolumeOperationDto> {
    return accepted(res, await this.attachments.attach(id, dto));
  }

  /** Detach a data volume (the guest must not be running); the volume stays, managed and free. */
  @Delete(':volumeId')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblemResponses(400, 404, 409, 422)
  async detach(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('volumeId', ParseUUIDPipe) volumeId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedVolumeOperationDto> {
    return accepted(res, await this.attachments.detach(id, volumeId));
  }
}
