import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type ConsentView } from './consent.dto';
import { consentView } from './consent-view';
import { CONSENT } from './consents.repository';

/** Shows one consent; the read is audited. */
@Injectable()
export class ReadConsent {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, id: string): Promise<ConsentView> {
    return consentView(await this.records.read(actor, CONSENT, id));
  }
}
