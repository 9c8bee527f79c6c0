import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PublicRoute } from '../http/public-route.decorator';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint: public (scrapers carry no token) and free of client data by construction. */
@PublicRoute()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.send(await this.metrics.registry.metrics());
  }
}
