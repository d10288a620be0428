import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { PlacementService } from './placement.service.js';
import { Role } from '../auth/roles.js';
import { NoValidHostExplanation } from './place.js';
import { PlacementPreviewDto, PlacementPreviewResultDto } from './dto/placement-preview.dto.js';

@ApiTags('placement')
@ApiKeyProtected()
@Controller({ path: 'placement', version: '1' })
export class PlacementController {
  constructor(private readonly placement: PlacementService) {}

  /** Dry run: rank the hosts for a would-be instance and explain every rejection. Nothing is claimed. */
  @Post('preview')
  @Role('viewer') // a dry run: reading, not changing
  @HttpCode(200)
  @ApiProblemResponses(400, 404)
  async preview(@Body() dto: PlacementPreviewDto): Promise<PlacementPreviewResultDto> {
    const decision = await this.placement.preview(
      {
        resources: { vcpus: dto.vcpus, memoryMiB: dto.memoryMiB, diskGiB: dto.diskGiB ?? 0 }, driverKind: dto.driverKind, guestType: dto.guestType,
        requiredLabels: dto.requiredHostLabels, requiredTraits: dto.requiredHostTraits, forbiddenTraits: dto.forbiddenHostTraits, hostId: dto.hostId,
        group: dto.placementGroup ? { name: dto.placementGroup.name, policy: dto.placementGroup.policy, strength: dto.placementGroup.hard === false ? 'soft' : 'hard' } : undefined,
      },
      { weigher: dto.weigher ?? 'pack', listTop: dto.limit ?? 10 },
    );
    return {
      ...decision, candidates: decision.candidates.map((c) => ({ ...c, breakdown: c.breakdown as Record<string, number> })),
      tie: decision.tiedHostIds.length > 1, explanation: NoValidHostExplanation.of(decision)?.sentence ?? null,
    };
  }
}
