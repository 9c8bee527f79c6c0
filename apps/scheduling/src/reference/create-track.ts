import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { ProblemException } from '@stepwise/security';
import { type ProgramTrackDto } from './reference.dto';
import { ReferenceRepository } from './reference.repository';
import { type ProgramTrackView } from './reference.views';
import { saveTrack } from './save-track';

/** Creates a program track at a site (the route's site permission is the access check). */
@Injectable()
export class CreateTrack {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: ReferenceRepository,
    private readonly clock: Clock,
  ) {}

  async execute(siteId: string, body: ProgramTrackDto): Promise<ProgramTrackView> {
    return this.unitOfWork.run(async (tx) => {
      if ((await this.repository.site(siteId, tx.manager)) === undefined)
        throw new ProblemException('not-found', { detail: 'No such site' });
      const track = { id: randomUUID(), siteId, updatedAt: this.clock.now() };
      return saveTrack(this.repository, tx, track, body);
    });
  }
}
