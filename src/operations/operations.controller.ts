import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { OperationsService } from './operations.service.js';
import { OperationDto, WaitQuery } from './operation.dto.js';

@ApiTags('operations')
@ApiKeyProtected()
@Controller({ path: 'operations', version: '1' })
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  /** An operation's status and progress; `?wait=N` holds the answer up to N seconds until it ends. */
  @Get(':id')
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @Query() q: WaitQuery): Promise<OperationDto> {
    return q.wait ? this.operations.wait(id, q.wait) : this.operations.get(id);
  }
}
