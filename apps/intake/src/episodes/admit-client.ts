import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LevelOfCareChangeKind } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { CLIENT } from '../clients/clients.repository';
import { ReferenceProjection } from '../reference/reference-projection';
import { ADMITTABLE_STATUSES, ReferralStatus } from '../referrals/referral.rules';
import { REFERRAL, ReferralsRepository } from '../referrals/referrals.repository';
import { type AdmitClientDto, type EpisodeView } from './episode.dto';
import { assertProgramTrack, startOfSiteDay } from './episode-reference';
import { episodeView } from './episode-view';
import { EPISODE, EpisodesRepository } from './episodes.repository';
import { ProgramCounters } from './program-counters';

/**
 * Opens a client's episode of care in a program track at a site (one active episode per client), closing the
 * referral it came from; publishes ClientAdmitted.
 */
@Injectable()
export class AdmitClient {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly episodes: EpisodesRepository,
    private readonly referrals: ReferralsRepository,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
    private readonly counters: ProgramCounters,
  ) {}

  async execute(actor: Actor, clientId: string, body: AdmitClientDto): Promise<EpisodeView> {
    const decidedBy = actor.principal.id;
    return this.unitOfWork.run(async (tx) => {
      const client = await this.records.load(actor, CLIENT, clientId, 'admit', tx.manager);
      await assertProgramTrack(
        this.reference,
        tx.manager,
        body.programTrackId,
        body.siteId,
        body.population,
        body.levelOfCare,
      );
      if ((await this.episodes.active(tx.manager, clientId)) !== undefined) {
        throw new ProblemException('episode-already-active', {
          detail: 'Discharge the active episode before admitting again',
        });
      }
      if (body.referralId !== undefined) {
        const referral = await this.records.load(actor, REFERRAL, body.referralId, 'update', tx.manager);
        if (referral.site_id !== body.siteId || (referral.client_id ?? clientId) !== clientId) {
          throw new ProblemException('unprocessable', {
            errors: [{ field: 'referralId', problems: ['the referral is for another site or client'] }],
          });
        }
        if (!ADMITTABLE_STATUSES.includes(referral.status)) {
          throw new ProblemException('invalid-transition', {
            detail: `A ${referral.status} referral cannot be admitted`,
          });
        }
        await this.referrals.setStatus(
          tx.manager,
          referral.id,
          ReferralStatus.Admitted,
          this.clock.now(),
          clientId,
        );
      }
      const site = await this.reference.site(body.siteId, tx.manager);
      const admittedAt = startOfSiteDay(body.admittedOn, site?.timeZone);
      const id = randomUUID();
      const networkId = site?.networkId ?? client.network_id;
      await this.episodes.insert(tx.manager, {
        id,
        clientId,
        siteId: body.siteId,
        networkId,
        programTrackId: body.programTrackId,
        population: body.population,
        levelOfCare: body.levelOfCare,
        primaryCounselorId: body.primaryCounselorId,
        referralId: body.referralId ?? null,
        admittedOn: body.admittedOn,
        admittedAt,
        createdBy: decidedBy,
      });
      await this.episodes.addHistory(tx.manager, id, {
        kind: LevelOfCareChangeKind.Clinical,
        fromLevel: null,
        toLevel: body.levelOfCare,
        effectiveAt: admittedAt,
        reasonCode: 'admission',
        decidedBy,
        programTrackId: body.programTrackId,
      });
      // The client is now cared for at the episode's site; their record follows them there.
      await this.episodes.moveClient(tx.manager, clientId, body.siteId, networkId);
      await tx.publish('ClientAdmitted', {
        episodeId: id,
        clientId,
        siteId: body.siteId,
        programTrackId: body.programTrackId,
        levelOfCare: body.levelOfCare,
        population: body.population,
        admittedAt: admittedAt.toISOString(),
        primaryCounselorId: body.primaryCounselorId,
      });
      const changed = episodeView(await this.episodes.find(id, tx.manager));
      await this.records.audited(actor, 'admit', EPISODE, changed, tx.manager);
      this.counters.admitted(tx, {
        site: body.siteId,
        level: body.levelOfCare,
        population: body.population,
      });
      return changed;
    });
  }
}
