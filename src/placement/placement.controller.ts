import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { PlacementService } from './placement.service.js';
import { Role } from '../auth/roles.js';
import { NoValidHostExplanation } from './rank-hosts.js';
import { PlacementPreviewDto, PlacementPreviewResultDto, type RankedHostDto } from './dto/placement-preview.dto.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { chargedRequest, placementRequestOf } from './placement-request.js';
import type { RankedCandidate } from './placement-types.js';

const rankedHostDto = (c: RankedCandidate): RankedHostDto => ({ ...c, breakdown: c.breakdown as Record<string, number> });

@ApiTags('placement')
@ApiKeyProtected()
@Controller({ path: 'placement', version: '1' })
export class PlacementController {
  constructor(
    private readonly placement: PlacementService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Dry run: rank the hosts for a would-be instance and explain every rejection. Nothing is claimed. */
  @Post('preview')
  @Role('viewer') // a dry run: reading, not changing
  @HttpCode(200)
  @ApiProblemResponses(400, 404)
  async preview(@Body() dto: PlacementPreviewDto): Promise<PlacementPreviewResultDto> {
    const asked = { vcpus: dto.vcpus, memoryMiB: dto.memoryMiB, diskGiB: dto.diskGiB ?? 0 };
    const overhead = this.config.overhead;
    const request = placementRequestOf(asked, dto);
    const options = { weigher: dto.weigher ?? 'pack', listTop: dto.limit ?? 10 } as const;
    // Ranked on the charged size, as a create would claim it.
    const decision = await this.placement.preview(chargedRequest(request, overhead), options);
    const techniques = dto.compareDriverKinds?.length
      ? await this.placement.compareTechniques(request, [...new Set(dto.compareDriverKinds)], overhead, options)
      : [];
    const chargedDto = (kind: typeof dto.driverKind) => ({
      ...overhead.charged(kind, asked),
      overheadMiB: overhead.overheadMiB(kind, asked),
    });
    return {
      asked,
      charged: chargedDto(dto.driverKind),
      techniques: techniques.map((t) => ({
        driverKind: t.driverKind,
        guestType: t.guestType,
        charged: chargedDto(t.driverKind),
        validHostCount: t.decision.validHostCount,
        chosen: t.decision.chosen,
        candidates: t.decision.candidates.slice(0, options.listTop).map(rankedHostDto),
        guestsThatFit: t.guestsThatFit,
        cpuSlowdown: overhead.technique(t.driverKind).cpuSlowdown?.median ?? null,
        overheadSource: overhead.technique(t.driverKind).source,
      })),
      ...decision,
      candidates: decision.candidates.map(rankedHostDto),
      tie: decision.tiedHostIds.length > 1,
      explanation: NoValidHostExplanation.of(decision)?.sentence ?? null,
    };
  }
}
