import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { EPISODE } from '../episodes/episodes.repository';
import { type EpisodeDiagnosesView } from './diagnosis.dto';
import { DiagnosesRepository } from './diagnoses.repository';
import { diagnosesView } from './diagnoses-view';

/** An episode's diagnoses with every revision; the read is audited as a read of the episode. */
@Injectable()
export class ReadDiagnoses {
  constructor(
    private readonly records: ScopedRecords,
    private readonly diagnoses: DiagnosesRepository,
  ) {}

  async execute(actor: Actor, episodeId: string): Promise<EpisodeDiagnosesView> {
    await this.records.read(actor, EPISODE, episodeId);
    return diagnosesView(episodeId, await this.diagnoses.history(episodeId));
  }
}
