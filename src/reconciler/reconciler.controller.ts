import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { ReconcilerService } from './reconciler.service.js';
import { Role } from '../auth/roles.js';
import { SweepReportDto, SweepRequestDto } from './dto/sweep.dto.js';

@ApiTags('reconciler')
@ApiKeyProtected()
@Role('admin')
@Controller({ path: 'reconciler', version: '1' })
export class ReconcilerController {
  constructor(private readonly reconciler: ReconcilerService) {}

  /** Force a reconcile sweep now (audited); answers what it found and changed. */
  @Post('sweep')
  @HttpCode(200)
  @ApiProblemResponses(400)
  sweep(@Body() dto: SweepRequestDto): Promise<SweepReportDto> {
    return this.reconciler.sweep('admin', dto.hostIds ? { hostIds: dto.hostIds } : undefined);
  }
}
