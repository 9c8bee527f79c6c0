import { Injectable } from '@nestjs/common';
import { type LevelOfCare, LevelOfCareChangeKind, type LevelOfCareChangeReason } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { type EpisodeRow, EpisodesRepository } from './episodes.repository';

/** A clinical level change, as approved from a review or decided by a clinician. */
export interface ClinicalChange {
  readonly toLevel: LevelOfCare;
  readonly programTrackId: string;
  readonly reasonCode: LevelOfCareChangeReason;
  readonly decidedBy: string;
  readonly effectiveAt: Date;
  readonly recommendationId?: string;
}

/**
 * Changes the clinical level (and track) of an active episode inside the caller's transaction and publishes
 * LevelOfCareChanged: used when a clinician approves a step-down/step-up review. The caller has loaded (and
 * so access-checked and locked) the episode; this is a step of its use case, not a request of its own.
 */
@Injectable()
export class ChangeClinicalLevel {
  constructor(private readonly episodes: EpisodesRepository) {}

  async execute(tx: Transaction, episode: EpisodeRow, change: ClinicalChange): Promise<void> {
    const recommendation =
      change.recommendationId === undefined ? {} : { recommendationId: change.recommendationId };
    await this.episodes.setClinicalLevel(tx.manager, episode.id, change.toLevel, change.programTrackId);
    await this.episodes.addHistory(tx.manager, episode.id, {
      kind: LevelOfCareChangeKind.Clinical,
      fromLevel: episode.clinical_level,
      toLevel: change.toLevel,
      effectiveAt: change.effectiveAt,
      reasonCode: change.reasonCode,
      decidedBy: change.decidedBy,
      programTrackId: change.programTrackId,
      ...recommendation,
    });
    await tx.publish('LevelOfCareChanged', {
      episodeId: episode.id,
      clientId: episode.client_id,
      siteId: episode.site_id,
      kind: LevelOfCareChangeKind.Clinical,
      fromLevel: episode.clinical_level,
      toLevel: change.toLevel,
      newProgramTrackId: change.programTrackId,
      ...recommendation,
      effectiveAt: change.effectiveAt.toISOString(),
      reasonCode: change.reasonCode,
      decidedBy: change.decidedBy,
    });
  }
}
