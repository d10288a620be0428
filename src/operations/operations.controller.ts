import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { OperationsService } from './operations.service.js';
import { ListOperationsQuery, OperationDto, OperationPageDto, WaitQuery } from './operation.dto.js';

@ApiTags('operations')
@ApiKeyProtected()
@Controller({ path: 'operations', version: '1' })
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  /** Operations, newest first, filtered by status, kind and target. */
  @Get()
  @ApiProblemResponses(400)
  list(@Query() q: ListOperationsQuery): Promise<OperationPageDto> {
    return this.operations.list(q);
  }

  /**
   * Cancel an operation where its work can be taken back: a pending one (it never starts; a
   * pending create leaves nothing behind) or a running live migration (libvirt's job is aborted,
   * the guest stays on the source). It ends `aborted`; poll it. Anything else, and an operation
   * that has ended, is 409 with the reason.
   */
  @Post(':id/cancel')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: OperationDto })
  @ApiProblemResponses(400, 404, 409)
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<OperationDto> {
    return this.operations.cancel(id);
  }

  /** An operation's status and progress; `?wait=N` holds the answer up to N seconds until it ends. */
  @Get(':id')
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @Query() q: WaitQuery): Promise<OperationDto> {
    return q.wait ? this.operations.wait(id, q.wait) : this.operations.get(id);
  }
}
