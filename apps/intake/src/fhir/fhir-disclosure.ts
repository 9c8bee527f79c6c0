import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Resource } from '@medplum/fhirtypes';
import {
  CATEGORY_OF_RESOURCE,
  type ConsentPurpose,
  currentDisclosureNotice,
  DisclosedResourceType,
  DisclosureChannel,
  type InformationCategory,
} from '@stepwise/contracts';
import { type DisclosureNoticeRef } from '@stepwise/fhir';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import {
  type Actor,
  AuditTrail,
  type OutsideRecipient,
  ProblemException,
  ScopedRecords,
} from '@stepwise/security';
import { CLIENT, type ClientRow } from '../clients/clients.repository';
import { ConsentsRepository } from '../consents/consents.repository';
import {
  type ConsentFacts,
  type DisclosureDecision,
  DisclosureRefusal,
  consentTerms,
  decideDisclosure,
} from '../consents/disclosure';

/** What a FHIR read may disclose, decided for one client and one resource type. */
export interface DisclosureGrant {
  readonly client: ClientRow;
  readonly consent: ConsentFacts;
  readonly purpose: ConsentPurpose;
  readonly notice: DisclosureNoticeRef;
  /** The consents that name the caller (what a `Consent` read shows). */
  readonly namingCaller: readonly ConsentFacts[];
  /** When the read was decided. */
  readonly now: Date;
}

/** The answer body of a FHIR read, and how many of the client's resources it carries. */
export interface FhirAnswer {
  readonly body: Resource;
  readonly resourceCount: number;
}

const AUDIT_TYPE = (type: DisclosedResourceType): string => `fhir-${type.toLowerCase()}`;

/**
 * The one path of every FHIR read (42 CFR Part 2 disclosure to an outside system): the caller is an
 * integration whose token names it as consents do (`recipient`); the client must be of its network (404
 * otherwise, audited); a consent naming it must cover the resource's category and one of its purposes now
 * (no consent naming it at all: 404, as for an unknown client; one that does not cover the read — revoked,
 * expired, another category or purpose — 403 with the reason; both audited). An allowed read is labelled
 * with the §2.32 notice and the consent's redisclosure statement, and — in one transaction, before the answer
 * leaves — audited and published as RecordsDisclosed for the accounting of disclosures, with the SHA-256 of
 * exactly the body sent.
 */
@Injectable()
export class FhirDisclosure {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly consents: ConsentsRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** A read by the outside system calling intake itself: its answer, or the refusal as a 404/403 problem. */
  async read(
    actor: Actor,
    type: DisclosedResourceType,
    clientId: string,
    build: (grant: DisclosureGrant, tx: Transaction) => Promise<FhirAnswer | undefined>,
  ): Promise<string> {
    const recipient = actor.principal.recipient;
    if (recipient === undefined)
      throw new ProblemException('permission-denied', {
        detail: 'Only an outside system reads the FHIR view',
      });
    const outcome = await this.disclose(actor, recipient, type, clientId, build);
    if (outcome.allowed) return outcome.body;
    if (outcome.reason === DisclosureRefusal.NoConsent)
      throw new ProblemException('not-found', { detail: 'No such Patient' });
    throw new ProblemException('consent-required', {
      detail: `No consent in force allows this read (${outcome.reason})`,
    });
  }

  /**
   * Decides the disclosure of what `build` answers to `recipient` and, when allowed, records it (audit and
   * RecordsDisclosed) in the transaction of the decision; a refusal is audited as denied. `actor` is who asks:
   * the outside system itself, or the service that serves it the resources (scheduling, sessions).
   */
  async disclose(
    actor: Actor,
    recipient: OutsideRecipient,
    type: DisclosedResourceType,
    clientId: string,
    build: (grant: DisclosureGrant, tx: Transaction) => Promise<FhirAnswer | undefined>,
  ): Promise<DisclosureOutcome> {
    const client = await this.records.load(actor, CLIENT, clientId, 'fhir-read');
    const outcome = await this.unitOfWork.run(async (tx): Promise<DisclosureOutcome> => {
      const now = this.clock.now();
      const facts = await this.consents.disclosureFacts(clientId, now, tx.manager);
      const decision = decide(facts, recipient, type, now);
      if (!decision.allowed) return decision;
      const consent = facts.find((c) => c.id === decision.consentId);
      if (consent === undefined || decision.terms === undefined)
        return { allowed: false, reason: 'notice-unavailable' };
      const notice = currentDisclosureNotice();
      const grant: DisclosureGrant = {
        client,
        consent,
        purpose: decision.purpose,
        notice: {
          noticeVersion: notice.version,
          noticeText: notice.text,
          redisclosureVersion: decision.terms.redisclosure.version,
          redisclosureText: decision.terms.redisclosure.text,
        },
        namingCaller: facts.filter(
          (c) => c.recipientKind === recipient.kind && c.recipientId === recipient.id,
        ),
        now,
      };
      const answer = await build(grant, tx);
      if (answer === undefined) throw new ProblemException('not-found', { detail: `No such ${type}` });
      const body = JSON.stringify(answer.body);
      if (answer.resourceCount > 0) await this.account(tx, actor, recipient, type, grant, answer, body, now);
      return { allowed: true, body, consentId: consent.id, categories: consent.categories };
    });
    if (!outcome.allowed) await this.refused(actor, type, client);
    return outcome;
  }

  private async account(
    tx: Transaction,
    actor: Actor,
    recipient: OutsideRecipient,
    type: DisclosedResourceType,
    grant: DisclosureGrant,
    answer: FhirAnswer,
    body: string,
    now: Date,
  ): Promise<void> {
    const category = CATEGORY_OF_RESOURCE[type];
    await tx.publish('RecordsDisclosed', {
      disclosureId: randomUUID(),
      clientId: grant.client.id,
      siteId: grant.client.site_id,
      recipientKind: recipient.kind,
      recipientId: recipient.id,
      consentId: grant.consent.id,
      purpose: grant.purpose,
      consentCategories: grant.consent.categories as InformationCategory[],
      consentPurposes: grant.consent.purposes as ConsentPurpose[],
      consentExpiresAt: grant.consent.expiresAt.toISOString(),
      ...(grant.consent.expiryEvent === null ? {} : { consentExpiresOnEvent: grant.consent.expiryEvent }),
      ...(category === null ? {} : { category }),
      channel: DisclosureChannel.Fhir,
      resourceType: type,
      resourceCount: answer.resourceCount,
      contentSha256: createHash('sha256').update(body).digest('hex'),
      noticeVersion: grant.notice.noticeVersion,
      redisclosureVersion: grant.notice.redisclosureVersion,
      disclosedAt: now.toISOString(),
    });
    await this.audit.record(
      actor,
      {
        action: 'disclose',
        resourceType: AUDIT_TYPE(type),
        resourceId: grant.consent.id,
        clientId: grant.client.id,
        siteId: grant.client.site_id,
        outcome: 'allowed',
      },
      tx.manager,
    );
  }

  /** A refused read: audited as denied (the caller answers 404 or 403). */
  private async refused(actor: Actor, type: DisclosedResourceType, client: ClientRow): Promise<void> {
    await this.audit.record(actor, {
      action: 'disclose',
      resourceType: AUDIT_TYPE(type),
      clientId: client.id,
      siteId: client.site_id,
      outcome: 'denied',
    });
  }
}

/** Why a disclosure was refused: a consent rule, or a consent without a redisclosure statement to carry. */
export type Refusal = DisclosureRefusal | 'notice-unavailable';

/** A disclosure decided: the exact body to send and the consent it was made under, or why not. */
export type DisclosureOutcome =
  | {
      readonly allowed: true;
      readonly body: string;
      readonly consentId: string;
      readonly categories: readonly string[];
    }
  | { readonly allowed: false; readonly reason: Refusal };

type PurposeDecision =
  | (Extract<DisclosureDecision, { allowed: true }> & { readonly purpose: ConsentPurpose })
  | Extract<DisclosureDecision, { allowed: false }>;

/**
 * The decision for the caller: for a resource with a category, the consent rule for each purpose the caller
 * is registered for (the first allowed wins; else the first refusal); for a `Consent`, any consent naming the
 * caller (a revoked or expired one too: the recipient may learn that its access ended).
 */
function decide(
  facts: readonly ConsentFacts[],
  recipient: OutsideRecipient,
  type: DisclosedResourceType,
  now: Date,
): PurposeDecision {
  const category = CATEGORY_OF_RESOURCE[type];
  if (category === null) {
    const naming = facts
      .filter(
        (c) => c.recipientKind === recipient.kind && c.recipientId === recipient.id && c.grantedAt <= now,
      )
      .sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime());
    const latest = naming[0];
    if (latest === undefined) return { allowed: false, reason: DisclosureRefusal.NoConsent };
    const purpose = (recipient.purposes.find((p) => latest.purposes.includes(p)) ??
      latest.purposes[0]) as ConsentPurpose;
    const terms = consentTerms(latest);
    return { allowed: true, consentId: latest.id, purpose, ...(terms === undefined ? {} : { terms }) };
  }
  let first: PurposeDecision | undefined;
  for (const purpose of recipient.purposes) {
    const decision = decideDisclosure(
      facts,
      { recipientKind: recipient.kind, recipientId: recipient.id, category, purpose },
      now,
    );
    if (decision.allowed) return { ...decision, purpose };
    first ??= decision;
  }
  return first ?? { allowed: false, reason: DisclosureRefusal.NoConsent };
}
