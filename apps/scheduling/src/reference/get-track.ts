import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { TRACK_RECORD } from './reference.repository';
import { type ProgramTrackView, trackView } from './reference.views';

/** One program track (reference data: reads are not audited). */
@Injectable()
export class GetTrack {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, trackId: string): Promise<ProgramTrackView> {
    return trackView(await this.records.load(actor, TRACK_RECORD, trackId, 'read'));
  }
}
