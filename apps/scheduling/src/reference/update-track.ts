import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type ProgramTrackDto } from './reference.dto';
import { ReferenceRepository, TRACK_RECORD } from './reference.repository';
import { type ProgramTrackView } from './reference.views';
import { saveTrack } from './save-track';

/** Replaces a program track (it stays at its site). */
@Injectable()
export class UpdateTrack {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly repository: ReferenceRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, trackId: string, body: ProgramTrackDto): Promise<ProgramTrackView> {
    return this.unitOfWork.run(async (tx) => {
      const current = await this.records.load(actor, TRACK_RECORD, trackId, 'update', tx.manager);
      const track = { id: trackId, siteId: current.site_id, updatedAt: this.clock.now() };
      return saveTrack(this.repository, tx, track, body);
    });
  }
}
