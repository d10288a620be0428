import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { PageQuery } from '../common/pagination.js';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';
import { Role } from './roles.js';

@ApiTags('api-keys')
@ApiKeyProtected()
@Role('admin')
@Controller({ path: 'api-keys', version: '1' })
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Create an API key; the secret is in this answer only. */
  @Post()
  @ApiProblemResponses(400, 409)
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(dto.name, dto.role);
  }

  /** List API keys (never their secrets). */
  @Get()
  @ApiProblemResponses(400)
  list(@Query() q: PageQuery): Promise<ApiKeyPageDto> {
    return this.keys.list(q);
  }

  /** Revoke an API key; it stops working within seconds. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The key is revoked.' })
  @ApiProblemResponses(400, 404)
  async revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
