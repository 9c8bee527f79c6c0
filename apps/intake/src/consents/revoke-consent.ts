import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { type ConsentView, type RevokeConsentDto } from './consent.dto';
import { consentView } from './consent-view';
import { CONSENT, ConsentsRepository } from './consents.repository';

/** Records the written revocation of a consent; publishes ConsentRevoked. */
@Injectable()
export class RevokeConsent {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly consents: ConsentsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, body: RevokeConsentDto): Promise<ConsentView> {
    return this.unitOfWork.run(async (tx) => {
      const consent = await this.records.load(actor, CONSENT, id, 'revoke', tx.manager);
      if (consent.revoked_at !== null) {
        throw new ProblemException('invalid-transition', { detail: 'The consent is already revoked' });
      }
      const revokedAt = this.clock.now();
      if (body.receivedOn > revokedAt.toISOString().slice(0, 10)) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'receivedOn', problems: ['receivedOn must not be in the future'] }],
        });
      }
      const row = await this.consents.revoke(tx.manager, id, {
        revokedAt,
        revokedBy: body.revokedBy,
        receivedOn: body.receivedOn,
      });
      await tx.publish('ConsentRevoked', {
        consentId: id,
        clientId: row.client_id,
        revokedAt: revokedAt.toISOString(),
      });
      await this.records.audited(actor, 'revoke', CONSENT, refOf(CONSENT, row), tx.manager);
      return consentView(row);
    });
  }
}
