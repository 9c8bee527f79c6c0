import { Injectable } from '@nestjs/common';
import { LevelOfCareChangeKind, type LevelOfCare } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { ReferenceProjection } from '../reference/reference-projection';
import { staffIdOf } from '../shared/staff';
import { ChangeClinicalLevel } from './change-clinical-level';
import { type CareSettingChangeDto, type EpisodeView, type LevelChangeDto } from './episode.dto';
import { assertProgramTrack, startOfSiteDay } from './episode-reference';
import { episodeView } from './episode-view';
import { EPISODE, EpisodesRepository } from './episodes.repository';

const refuse = (detail: string): never => {
  throw new ProblemException('level-change-not-allowed', { detail });
};

/**
 * A clinician's own decision, without a system recommendation: a new level of care (at the episode's site or
 * another of the network) or a transfer to another site at the same level. The clinician must be able to act
 * for the episode's site and for the new track's site (each checked, a denial audited and answered 404 as
 * everywhere); the track must be active, for the client's population and at the level. A move to another site
 * publishes ClientTransferred (and the client's record follows); a level change publishes LevelOfCareChanged as
 * an approved review does (ChangeClinicalLevel) — scheduling moves the schedule for either the same way.
 */
@Injectable()
export class ChangeCareSetting {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly episodes: EpisodesRepository,
    private readonly reference: ReferenceProjection,
    private readonly changeClinicalLevel: ChangeClinicalLevel,
  ) {}

  changeLevel(actor: Actor, id: string, body: LevelChangeDto): Promise<EpisodeView> {
    return this.move(actor, id, body, body.toLevel, 'change-level');
  }

  transfer(actor: Actor, id: string, body: CareSettingChangeDto): Promise<EpisodeView> {
    return this.move(actor, id, body, undefined, 'transfer');
  }

  private async move(
    actor: Actor,
    id: string,
    body: CareSettingChangeDto,
    toLevel: LevelOfCare | undefined,
    action: 'change-level' | 'transfer',
  ): Promise<EpisodeView> {
    const decidedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const episode = await this.records.load(actor, EPISODE, id, action, tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const level = toLevel ?? episode.clinical_level;
      if (toLevel === episode.clinical_level)
        refuse('The episode is at that level already; transfer it instead');
      const track = await this.reference.track(body.programTrackId, tx.manager);
      const siteId = track?.siteId ?? episode.site_id;
      await assertProgramTrack(
        this.reference,
        tx.manager,
        body.programTrackId,
        siteId,
        episode.population,
        level,
      );
      const site = await this.reference.site(siteId, tx.manager);
      if (site === undefined || !site.active || site.networkId !== episode.network_id) {
        throw new ProblemException('unknown-program-track', {
          errors: [{ field: 'programTrackId', problems: ['no active track with this id in the network'] }],
        });
      }
      if (action === 'transfer' && siteId === episode.site_id) {
        refuse('The track is at the episode’s own site; a transfer moves to another site');
      }
      // Acting at the new site is checked as acting at the current one was (denied: 404, audited).
      await this.records.assertSite(
        actor,
        { siteId, networkId: site.networkId },
        { action, resourceType: EPISODE.resourceType, resourceId: id, clientId: episode.client_id },
      );
      const effectiveAt = startOfSiteDay(body.effectiveOn, site.timeZone);
      if (body.effectiveOn < episode.admitted_on) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'effectiveOn', problems: ['effectiveOn must not be before the admission'] }],
        });
      }
      const moved = { ...episode, site_id: siteId, network_id: site.networkId };
      if (siteId !== episode.site_id) {
        await this.episodes.moveToSite(tx.manager, id, siteId, site.networkId);
        await this.episodes.moveClient(tx.manager, episode.client_id, siteId, site.networkId);
        await tx.publish('ClientTransferred', {
          episodeId: id,
          clientId: episode.client_id,
          fromSiteId: episode.site_id,
          siteId,
          newProgramTrackId: body.programTrackId,
          levelOfCare: level,
          effectiveAt: effectiveAt.toISOString(),
          reasonCode: body.reasonCode,
          decidedBy,
        });
      }
      const change = {
        programTrackId: body.programTrackId,
        reasonCode: body.reasonCode,
        decidedBy,
        effectiveAt,
      };
      if (toLevel !== undefined) {
        await this.changeClinicalLevel.execute(tx, moved, { ...change, toLevel });
      } else {
        // A transfer keeps the level: the history still shows when and why the track changed.
        await this.episodes.setClinicalLevel(tx.manager, id, level, body.programTrackId);
        await this.episodes.addHistory(tx.manager, id, {
          kind: LevelOfCareChangeKind.Clinical,
          fromLevel: level,
          toLevel: level,
          ...change,
        });
      }
      const changed = episodeView(await this.episodes.find(id, tx.manager));
      await this.records.audited(actor, action, EPISODE, changed, tx.manager);
      return changed;
    });
  }
}
