import { type Transaction } from '@stepwise/messaging';
import { type ProgramTrackDto } from './reference.dto';
import { type ReferenceRepository } from './reference.repository';
import { type ProgramTrackView, trackView } from './reference.views';

/**
 * Stores a track and publishes its complete state (ProgramTrackUpserted): what creating and updating share.
 * The weekly pattern is stored and published as its four fields only.
 */
export async function saveTrack(
  repository: ReferenceRepository,
  tx: Transaction,
  track: { readonly id: string; readonly siteId: string; readonly updatedAt: Date },
  body: ProgramTrackDto,
): Promise<ProgramTrackView> {
  const weeklyPattern = body.weeklyPattern.map((s) => ({
    weekday: s.weekday,
    start: s.start,
    minutes: s.minutes,
    sessionType: s.sessionType,
  }));
  const view = trackView(await repository.upsertTrack(tx.manager, track, { ...body, weeklyPattern }));
  await tx.publish('ProgramTrackUpserted', {
    programTrackId: view.id,
    siteId: view.siteId,
    name: view.name,
    levelOfCare: view.levelOfCare,
    population: view.population,
    weeklyPattern,
    plannedWeeklyMinutes: view.plannedWeeklyMinutes,
    modality: view.modality,
    ...(view.expectedStayWeeks === undefined ? {} : { expectedStayWeeks: view.expectedStayWeeks }),
    ...(view.documentationGraceHours === undefined
      ? {}
      : { documentationGraceHours: view.documentationGraceHours }),
    active: view.active,
    updatedAt: view.updatedAt,
  });
  return view;
}
