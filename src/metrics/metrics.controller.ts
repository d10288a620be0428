// GET /metrics in Prometheus' text format, outside /api/v1 like the health probes. It lists
// host names and load, so it needs a key: a `scraper` key (for Prometheus, sent as a bearer
// token; it may read nothing else, and its scrapes do not count against the API rate limit) or
// any viewer key or higher (counted as a request).
import { Controller, Get, Header, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyProtected } from '../common/api-problem-responses.js';
import { MetricsService } from './metrics.service.js';
import { Role, ScrapeRoute } from '../auth/roles.js';

@ApiTags('metrics')
@ApiKeyProtected()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** This process's HTTP answers and placement claims, and the fleet's hosts, capacity and operations. */
  @Get()
  @Role('scraper')
  @ScrapeRoute()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } })
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType).send(body);
  }
}
