import { randomUUID } from 'node:crypto';
import { DrugScreenResult, SubstanceCode } from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import { type RecordDrugScreenDto } from '../drug-screens/drug-screen.dto';
import {
  type DrugScreenWrite,
  DrugScreensRepository,
  type ScreenedEpisodeRow,
} from '../drug-screens/drug-screens.repository';
import { RecordDrugScreen } from '../drug-screens/record-drug-screen';
import { MedicationsRepository } from '../medications/medications.repository';
import { type MedicationFact } from '@stepwise/care-rules';
import { InMemoryCareRules } from './care-rules';
import { SITE_ID, recordingDoubles } from './doubles';

/** Episodes and screens held in memory, answering as the SQL of DrugScreensRepository does. */
export class InMemoryDrugScreens extends DrugScreensRepository {
  readonly episodes = new Map<string, ScreenedEpisodeRow & { sobriety_since: Date | null }>();
  readonly screens: DrugScreenWrite[] = [];

  override episode(_m: EntityManager, episodeId: string): Promise<ScreenedEpisodeRow | undefined> {
    return Promise.resolve(this.episodes.get(episodeId));
  }

  override insert(_m: EntityManager, screen: DrugScreenWrite): Promise<void> {
    this.screens.push(screen);
    return Promise.resolve();
  }

  override applyToSobriety(
    _m: EntityManager,
    episodeId: string,
    positive: boolean,
    collectedAt: Date,
  ): Promise<Date | null> {
    const episode = this.episodes.get(episodeId);
    if (episode === undefined) return Promise.resolve(null);
    const since = episode.sobriety_since;
    const moved = positive && (since === null || collectedAt > since) ? collectedAt : since;
    this.episodes.set(episodeId, { ...episode, sobriety_since: moved });
    return Promise.resolve(moved);
  }
}

/** An episode's medication list in memory. */
export class InMemoryMedications extends MedicationsRepository {
  readonly list: MedicationFact[] = [];

  override facts(): Promise<MedicationFact[]> {
    return Promise.resolve([...this.list]);
  }
}

/** Buprenorphine-naloxone as MAT since admission (expected to show buprenorphine), still taken. */
export const BUPRENORPHINE: MedicationFact = {
  medicationId: '00000000-0000-4000-8000-0000000000b1',
  medicationCode: 'buprenorphine-naloxone',
  mat: true,
  startsOn: '2025-02-03',
  stopsOn: null,
  expectedSubstances: [SubstanceCode.Buprenorphine],
};

/** A negative screen collected Monday 3 March 2025 at 15:00 UTC, resulted an hour later. */
export function aScreen(
  episodeId: string,
  overrides: Partial<RecordDrugScreenDto> = {},
): RecordDrugScreenDto {
  return {
    episodeId,
    collectedAt: '2025-03-03T15:00:00.000Z',
    resultedAt: '2025-03-03T16:00:00.000Z',
    result: DrugScreenResult.Negative,
    substanceCodes: [],
    ...overrides,
  };
}

/** A positive for fentanyl and cocaine, listed unsorted and with a repeat. */
export const POSITIVE: Partial<RecordDrugScreenDto> = {
  result: DrugScreenResult.Positive,
  substanceCodes: [SubstanceCode.Fentanyl, SubstanceCode.Cocaine, SubstanceCode.Fentanyl],
};

/** RecordDrugScreen over in-memory records, with one admitted episode (clock on 3 March 2025, 17:00 UTC). */

export function drugScreenUseCases() {
  const { uow, scoped, sites, evaluation, clock, metrics, counters } = recordingDoubles();
  const screens = new InMemoryDrugScreens();
  const medications = new InMemoryMedications();
  const careRules = new InMemoryCareRules();
  const episodeId = randomUUID();
  screens.episodes.set(episodeId, {
    client_id: randomUUID(),
    site_id: SITE_ID,
    admitted_at: new Date('2025-02-03T15:00:00.000Z'),
    discharged_at: null,
    sobriety_since: null,
  });
  return {
    uow,
    screens,
    medications,
    careRules,
    sites,
    evaluation,
    episodeId,
    metrics,
    audit: scoped.trail,
    record: new RecordDrugScreen(
      uow,
      scoped,
      sites,
      screens,
      evaluation,
      clock,
      counters,
      medications,
      careRules,
    ),
  };
}
