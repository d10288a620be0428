import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { PageQuery } from '../common/pagination.js';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { ConsolidationService } from './consolidation.service.js';
import { CreatePlanDto, PlanDto, PlanPageDto } from './dto/plan.dto.js';

@ApiTags('consolidation')
@ApiKeyProtected()
@Controller({ path: 'consolidation/plans', version: '1' })
export class ConsolidationController {
  constructor(private readonly consolidation: ConsolidationService) {}

  /** Dry run: compute a plan over the fleet (or the given hosts) and keep it (503 plan-not-saved if the fleet changed meanwhile). Nothing moves. */
  @Post()
  @ApiProblemResponses(400, 503)
  create(@Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.consolidation.propose(dto, 'api');
  }

  /** Plans, newest first. */
  @Get()
  @ApiProblemResponses(400)
  list(@Query() q: PageQuery): Promise<PlanPageDto> {
    return this.consolidation.list(q);
  }

  /** A plan with per-step status and progress. */
  @Get(':id')
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PlanDto> {
    return this.consolidation.get(id);
  }

  /** Approve and execute a proposed plan, step by step, in the background. */
  @Post(':id/execute')
  @HttpCode(202)
  @ApiProblemResponses(400, 404, 409)
  execute(@Param('id', ParseUUIDPipe) id: string): Promise<PlanDto> {
    return this.consolidation.execute(id);
  }

  /** Stop an executing plan after its current step (or cancel a proposed one). */
  @Post(':id/abort')
  @HttpCode(202)
  @ApiProblemResponses(400, 404, 409)
  abort(@Param('id', ParseUUIDPipe) id: string): Promise<PlanDto> {
    return this.consolidation.abort(id);
  }
}
