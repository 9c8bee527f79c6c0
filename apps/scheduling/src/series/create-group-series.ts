import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { ProblemException } from '@stepwise/security';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { type CreateGroupSeriesDto } from './series.dto';
import { SeriesRepository } from './series.repository';
import { type GroupSeriesView, seriesView } from './series.views';

/**
 * Creates a weekly group series at a site (the route's site permission is the access check): the track must
 * be the site's, the facilitator active there, and neither facilitator nor room already have an overlapping
 * weekly session (409). Its occurrences are generated up to the horizon in the same transaction.
 */
@Injectable()
export class CreateGroupSeries {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: SeriesRepository,
    private readonly generator: ScheduleGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(siteId: string, body: CreateGroupSeriesDto): Promise<GroupSeriesView> {
    if ((body.room === undefined) === (body.videoLink === undefined)) {
      throw new ProblemException('unprocessable', { detail: 'Give exactly one of room and videoLink' });
    }
    return this.unitOfWork.run(async (tx) => {
      const site = await this.generator.loadSite(tx, siteId);
      if (site === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
      if (!(await this.repository.isTrackAt(tx.manager, body.programTrackId, siteId)))
        throw new ProblemException('not-found', { detail: 'No such program track at this site' });
      if (!(await this.repository.isActiveFacilitatorAt(tx.manager, body.facilitatorId, siteId)))
        throw new ProblemException('not-found', { detail: 'No such active staff member at this site' });
      const clash = await this.repository.lockAndFindWeeklyClash(tx, siteId, body);
      if (clash !== undefined) {
        throw new ProblemException('schedule-conflict', {
          detail: `The ${clash} already has a weekly session overlapping this slot`,
        });
      }
      const id = randomUUID();
      const row = await this.repository.insert(tx.manager, id, siteId, body);
      const now = this.clock.now();
      await this.generator.extendOccurrences(tx, site, now, this.generator.horizonEnd(site, now), [id]);
      return seriesView(row);
    });
  }
}
