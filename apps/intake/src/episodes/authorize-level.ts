import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LevelOfCareChangeKind, LevelOfCareChangeReason } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { ReferenceProjection } from '../reference/reference-projection';
import { staffIdOf } from '../shared/staff';
import { type AuthorizationDto, type EpisodeView } from './episode.dto';
import { startOfSiteDay } from './episode-reference';
import { episodeView } from './episode-view';
import { EPISODE, EpisodesRepository } from './episodes.repository';

/**
 * Records a payer authorization and publishes it (PayerAuthorizationRecorded: sessions counts its units down
 * from attended billable days); the authorized level changes (and is published) when it differs.
 */
@Injectable()
export class AuthorizeLevel {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly episodes: EpisodesRepository,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, body: AuthorizationDto): Promise<EpisodeView> {
    const decidedBy = staffIdOf(actor);
    if (body.endsOn < body.startsOn) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'endsOn', problems: ['endsOn must not be before startsOn'] }],
      });
    }
    return this.unitOfWork.run(async (tx) => {
      const episode = await this.records.load(actor, EPISODE, id, 'authorize', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const site = await this.reference.site(episode.site_id, tx.manager);
      const effectiveAt = startOfSiteDay(body.startsOn, site?.timeZone);
      // Before any authorization, the level a payer is asked to authorize is the clinical one.
      const fromLevel = episode.authorized_level ?? episode.clinical_level;
      await this.episodes.setAuthorizedLevel(tx.manager, id, body.levelOfCare);
      const authorizationId = randomUUID();
      await this.episodes.addHistory(tx.manager, id, {
        kind: LevelOfCareChangeKind.Authorized,
        fromLevel: episode.authorized_level,
        toLevel: body.levelOfCare,
        effectiveAt,
        reasonCode: LevelOfCareChangeReason.PayerAuthorization,
        decidedBy,
        authorization: { ...body, authorizationId },
      });
      await tx.publish('PayerAuthorizationRecorded', {
        authorizationId,
        episodeId: id,
        clientId: episode.client_id,
        siteId: episode.site_id,
        payerCode: body.payerCode,
        authorizationNumber: body.authorizationNumber,
        levelOfCare: body.levelOfCare,
        units: body.units,
        startsOn: body.startsOn,
        endsOn: body.endsOn,
        recordedAt: this.clock.now().toISOString(),
      });
      if (fromLevel !== body.levelOfCare) {
        await tx.publish('LevelOfCareChanged', {
          episodeId: id,
          clientId: episode.client_id,
          siteId: episode.site_id,
          kind: LevelOfCareChangeKind.Authorized,
          fromLevel,
          toLevel: body.levelOfCare,
          effectiveAt: effectiveAt.toISOString(),
          reasonCode: LevelOfCareChangeReason.PayerAuthorization,
          decidedBy,
        });
      }
      const changed = episodeView(await this.episodes.find(id, tx.manager));
      await this.records.audited(actor, 'authorize', EPISODE, changed, tx.manager);
      return changed;
    });
  }
}
