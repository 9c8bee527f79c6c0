import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type ScreeningView } from './screening.dto';
import { screeningView } from './screening-view';
import { SCREENING } from './screenings.repository';

/** Shows one screening with its answers; the read is audited. */
@Injectable()
export class ReadScreening {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, id: string): Promise<ScreeningView> {
    return screeningView(await this.records.read(actor, SCREENING, id));
  }
}
