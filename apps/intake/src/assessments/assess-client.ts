import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { CLIENT } from '../clients/clients.repository';
import { EpisodesRepository } from '../episodes/episodes.repository';
import { staffIdOf } from '../shared/staff';
import { recommendLevel, ruleSetVersionOf } from './asam-rules';
import { type AssessDto, type AssessmentView } from './assessment.dto';
import { assessmentView, ruleSetOf } from './assessment-view';
import { ASSESSMENT, AssessmentsRepository } from './assessments.repository';

/**
 * Records an ASAM assessment: six dimension ratings → a level from a versioned rule set, or a clinician's
 * override with its reason; publishes AssessmentCompleted.
 */
@Injectable()
export class AssessClient {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly assessments: AssessmentsRepository,
    private readonly episodes: EpisodesRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, clientId: string, body: AssessDto): Promise<AssessmentView> {
    const assessedBy = staffIdOf(actor);
    if (body.overrideLevel !== undefined && body.overrideReason === undefined) {
      throw new ProblemException('override-reason-required', {
        errors: [
          { field: 'overrideReason', problems: ['an override of the recommended level needs a reason code'] },
        ],
      });
    }
    if (body.overrideReason !== undefined && body.overrideLevel === undefined) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'overrideLevel', problems: ['overrideReason is given without an overrideLevel'] }],
      });
    }
    const assessedAt = new Date(body.assessedAt);
    if (assessedAt > this.clock.now()) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'assessedAt', problems: ['assessedAt must not be in the future'] }],
      });
    }
    return this.unitOfWork.run(async (tx) => {
      const client = await this.records.load(actor, CLIENT, clientId, 'assess', tx.manager);
      const stored = await this.assessments.ruleSet(tx.manager, body.ruleSet);
      if (stored === undefined) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'ruleSet', problems: ['no stored rule set by that id'] }],
        });
      }
      const set = ruleSetOf(stored);
      const computed = recommendLevel(set, body.dimensionRatings);
      const recommended = body.overrideLevel ?? computed;
      const episode = await this.episodes.active(tx.manager, clientId);
      const id = randomUUID();
      const row = await this.assessments.insert(tx.manager, {
        id,
        clientId,
        siteId: client.site_id,
        networkId: client.network_id,
        episodeId: episode?.id ?? null,
        ratings: body.dimensionRatings,
        ruleSetVersion: ruleSetVersionOf(set),
        computedLevel: computed,
        overrideLevel: body.overrideLevel ?? null,
        overrideReason: body.overrideReason ?? null,
        recommendedLevel: recommended,
        assessedBy,
        assessedAt,
      });
      await tx.publish('AssessmentCompleted', {
        assessmentId: id,
        clientId,
        siteId: client.site_id,
        ...(episode === undefined ? {} : { episodeId: episode.id }),
        dimensionRatings: body.dimensionRatings,
        recommendedLevel: recommended,
        assessedBy,
        assessedAt: assessedAt.toISOString(),
      });
      await this.records.audited(actor, 'create', ASSESSMENT, refOf(ASSESSMENT, row), tx.manager);
      return assessmentView(row);
    });
  }
}
