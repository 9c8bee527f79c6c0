import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, type FieldProblem, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { CLIENT } from '../clients/clients.repository';
import { type ConsentView, type GrantConsentDto } from './consent.dto';
import { type CompleteConsent, missingElements } from './consent-elements';
import { consentView } from './consent-view';
import { CONSENT, ConsentsRepository } from './consents.repository';
import { MinorConsentPolicy, ageOn, signerProblems } from './minor-consent';
import { currentRedisclosureStatement } from './redisclosure-statements';

/**
 * Records a client's §2.31 consent to a disclosure, with the redisclosure statement in force and — for a minor —
 * the signatures the program's minor-consent policy requires (§2.14); publishes ConsentGranted (codes only,
 * never the recipient's name).
 */
@Injectable()
export class GrantConsent {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly consents: ConsentsRepository,
    private readonly clock: Clock,
    private readonly minors: MinorConsentPolicy,
  ) {}

  async execute(actor: Actor, clientId: string, body: GrantConsentDto): Promise<ConsentView> {
    const missing = missingElements(body);
    if (missing.length > 0) throw incomplete(missing);
    const consent = body as CompleteConsent;
    const grantedAt = this.clock.now();
    const expiresAt = new Date(consent.expiresAt);
    if (expiresAt <= grantedAt) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'expiresAt', problems: ['expiresAt must be in the future'] }],
      });
    }
    if (consent.signature.signedOn > grantedAt.toISOString().slice(0, 10)) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'signature.signedOn', problems: ['the signature date must not be in the future'] }],
      });
    }
    return this.unitOfWork.run(async (tx) => {
      const client = await this.records.load(actor, CLIENT, clientId, 'consent', tx.manager);
      // Who must sign depends on the client's age when signing: known only once the client is loaded.
      const signers = signerProblems(this.minors, client.date_of_birth, consent);
      if (signers.length > 0) throw incomplete(signers);
      const minor = ageOn(client.date_of_birth, consent.signature.signedOn) < this.minors.ageOfMajority;
      const id = randomUUID();
      const row = await this.consents.insert(tx.manager, {
        id,
        clientId,
        siteId: client.site_id,
        networkId: client.network_id,
        disclosingProgramId: consent.disclosingProgramId,
        recipient: {
          kind: consent.recipient.kind,
          id: consent.recipient.id,
          name: consent.recipient.name?.trim() ?? null,
          phone: consent.recipient.phone ?? null,
          email: consent.recipient.email ?? null,
        },
        informationCategories: consent.informationCategories,
        purposes: consent.purposes,
        expiresAt,
        expiryEvent: consent.expiresOnEvent ?? null,
        signedBy: consent.signature.signedBy,
        signedOn: consent.signature.signedOn,
        guardian: consent.guardianSignature ?? null,
        signerRule: minor ? this.minors.rule : null,
        redisclosure: currentRedisclosureStatement(),
        grantedAt,
        createdBy: actor.principal.id,
      });
      await tx.publish('ConsentGranted', {
        consentId: id,
        clientId,
        recipient: { kind: consent.recipient.kind, id: consent.recipient.id },
        purposes: consent.purposes,
        informationCategories: consent.informationCategories,
        grantedAt: grantedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      await this.records.audited(actor, 'create', CONSENT, refOf(CONSENT, row), tx.manager);
      return consentView(row);
    });
  }
}

/** One 422 naming every missing element (the field and what the rule requires of it). */
function incomplete(missing: FieldProblem[]): ProblemException {
  return new ProblemException('consent-incomplete', {
    detail: `Missing: ${missing.map((m) => m.field).join(', ')}`,
    errors: missing,
  });
}
