import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, type FieldProblem, ProblemException, ScopedRecords } from '@stepwise/security';
import { EPISODE } from '../episodes/episodes.repository';
import { staffIdOf } from '../shared/staff';
import { type EpisodeDiagnosesView, type RecordDiagnosesDto } from './diagnosis.dto';
import { DiagnosesRepository } from './diagnoses.repository';
import { diagnosesView } from './diagnoses-view';

/**
 * Records an episode's diagnoses as its next revision and publishes EpisodeDiagnosesChanged, in one
 * transaction. Revisions only move forward in time (a day's diagnoses are those of the latest revision in
 * force that day), so a claim already billed keeps the codes it pointed to. Resubmitting the list in force
 * with the same first day changes nothing.
 */
@Injectable()
export class RecordDiagnoses {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly diagnoses: DiagnosesRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, episodeId: string, body: RecordDiagnosesDto): Promise<EpisodeDiagnosesView> {
    const recordedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      await tx.lockKey(`episode-diagnoses:${episodeId}`);
      const episode = await this.records.load(actor, EPISODE, episodeId, 'diagnose', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const history = await this.diagnoses.history(episodeId, tx.manager);
      const latest = history.at(-1);
      if (
        latest !== undefined &&
        latest.effective_on === body.effectiveOn &&
        latest.diagnosis_codes.join() === body.diagnosisCodes.join()
      ) {
        return diagnosesView(episodeId, history);
      }
      const problems: FieldProblem[] = [];
      if (body.effectiveOn < episode.admitted_on) {
        problems.push({ field: 'effectiveOn', problems: ['effectiveOn must not be before admission'] });
      } else if (latest !== undefined && body.effectiveOn < latest.effective_on) {
        problems.push({
          field: 'effectiveOn',
          problems: [`effectiveOn must not be before the current revision's (${latest.effective_on})`],
        });
      }
      if (problems.length > 0) throw new ProblemException('unprocessable', { errors: problems });
      const row = {
        revision: (latest?.revision ?? 0) + 1,
        diagnosis_codes: body.diagnosisCodes,
        effective_on: body.effectiveOn,
        recorded_by: recordedBy,
        recorded_at: this.clock.now(),
      };
      await this.diagnoses.add(tx.manager, episodeId, row);
      await tx.publish('EpisodeDiagnosesChanged', {
        episodeId,
        clientId: episode.client_id,
        siteId: episode.site_id,
        revision: row.revision,
        diagnosisCodes: row.diagnosis_codes,
        effectiveOn: row.effective_on,
        recordedBy,
        recordedAt: row.recorded_at.toISOString(),
      });
      await this.records.audited(
        actor,
        'diagnose',
        EPISODE,
        { id: episodeId, clientId: episode.client_id, siteId: episode.site_id },
        tx.manager,
      );
      return diagnosesView(episodeId, [...history, row]);
    });
  }
}
