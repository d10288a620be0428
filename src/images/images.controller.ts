import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyProtected, ApiProblemResponses } from '../common/api-problem-responses.js';
import { CreateImageDto, ImageDto, ImagePageDto, ListImagesQuery } from './dto/image.dto.js';
import { ImagesService } from './images.service.js';

@ApiTags('images')
@ApiKeyProtected()
@Controller({ version: '1' })
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  /**
   * Register a managed file volume of the host as an image (operator). The host's libvirt says what it is:
   * 422 when it is not raw or qcow2, has a backing store, or is not the `format` claimed.
   */
  @Post('hosts/:hostId/images')
  @ApiProblemResponses(400, 404, 409, 422, 502, 503)
  async create(
    @Param('hostId', ParseUUIDPipe) hostId: string,
    @Body() dto: CreateImageDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImageDto> {
    const image = await this.images.create(hostId, dto);
    res.setHeader('Location', `/api/v1/images/${image.id}`);
    return image;
  }

  /** The image catalogue. */
  @Get('images')
  @ApiProblemResponses(400)
  list(@Query() q: ListImagesQuery): Promise<ImagePageDto> {
    return this.images.list(q);
  }

  /** One image. */
  @Get('images/:imageId')
  @ApiProblemResponses(400, 404)
  get(@Param('imageId', ParseUUIDPipe) imageId: string): Promise<ImageDto> {
    return this.images.get(imageId);
  }

  /** Unregister an image; 409 while an instance's root disk is an overlay of it. Its volume stays managed. */
  @Delete('images/:imageId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The image is unregistered; its volume is kept.' })
  @ApiProblemResponses(400, 404, 409)
  async remove(@Param('imageId', ParseUUIDPipe) imageId: string): Promise<void> {
    await this.images.remove(imageId);
  }
}
