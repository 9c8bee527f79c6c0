import { Logger } from '@nestjs/common';
import { type Resource } from '@medplum/fhirtypes';
import { type DisclosedResourceType } from '@stepwise/contracts';
import type { Request } from 'express';
import { type OutsideRecipient } from '../auth/principal';
import { ProblemException } from '../problems/problem.exception';
import { ServiceTokenError, type ServiceTokenClient } from './service-token.client';

/** Where a FHIR search was asked: the FHIR base URL and the search URL as received (a Bundle's links). */
export interface FhirSearchContext {
  readonly base: string;
  readonly self: string;
}

/** The search as received, and the FHIR base it was asked of (absolute: a Bundle's fullUrls need it). */
export function fhirSearchContext(request: Request): FhirSearchContext {
  const origin = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
  return { base: `${origin}/fhir/r4`, self: `${origin}${request.originalUrl}` };
}

/** What a service would answer an outside system with: one client's resources, for a read or a search. */
export interface ServedDisclosureRequest {
  /** The outside system, from its verified integration token. */
  readonly recipient: OutsideRecipient;
  readonly clientId: string;
  readonly resourceType: DisclosedResourceType;
  /** Unlabelled; exactly one for a read by id. */
  readonly resources: readonly Resource[];
  /** Present for a search: the answer is a searchset Bundle. */
  readonly search?: FhirSearchContext;
}

const UNAVAILABLE = 'Consent cannot be checked now; nothing was disclosed. Retry later.';

/**
 * The disclosure decision of intake (where consents are) for resources another service serves: intake decides,
 * audits, records the disclosure (RecordsDisclosed) and labels the answer in one transaction, and returns the
 * exact body to send. Fails closed: anything but intake's answer — unreachable, slow, a refused service
 * credential, an unexpected reply — is a 503 and nothing is disclosed.
 */
export class ServedDisclosures {
  private readonly logger = new Logger('ServedDisclosures');

  constructor(
    private readonly intakeUrl: string,
    private readonly tokens: ServiceTokenClient,
    private readonly timeoutMs = 5_000,
  ) {}

  /** The body to answer with; a 404 (no consent names the caller), 403 consent-required or 503 problem otherwise. */
  async disclose(request: ServedDisclosureRequest): Promise<string> {
    const response = await this.ask(request);
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ProblemException('not-found', { detail: `No such ${request.resourceType}` });
    }
    if (response.status === 401) this.tokens.invalidate();
    if (response.status !== 200) {
      await response.body?.cancel();
      this.logger.error(`intake answered the disclosure decision with ${response.status}`);
      throw new ProblemException('service-unavailable', { detail: UNAVAILABLE });
    }
    const decision = (await response.json().catch(() => undefined)) as
      { allowed?: unknown; body?: unknown; reason?: unknown } | undefined;
    if (decision?.allowed === true && typeof decision.body === 'string') return decision.body;
    if (decision?.allowed === false && decision.reason === 'no-consent')
      throw new ProblemException('not-found', { detail: `No such ${request.resourceType}` });
    if (decision?.allowed === false && typeof decision.reason === 'string')
      throw new ProblemException('consent-required', {
        detail: `No consent in force allows this read (${decision.reason})`,
      });
    this.logger.error('intake answered the disclosure decision without a decision');
    throw new ProblemException('service-unavailable', { detail: UNAVAILABLE });
  }

  private async ask(request: ServedDisclosureRequest): Promise<Response> {
    try {
      return await fetch(`${this.intakeUrl}/v1/internal/fhir-disclosures`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await this.tokens.token()}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({
          recipient: {
            kind: request.recipient.kind,
            id: request.recipient.id,
            purposes: request.recipient.purposes,
          },
          clientId: request.clientId,
          resourceType: request.resourceType,
          resources: request.resources,
          ...(request.search === undefined ? {} : { search: request.search }),
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // The reason (no secret, no PHI) tells an operator an outage from a refused credential.
      this.logger.error(
        `disclosure decision unavailable: ${error instanceof ServiceTokenError ? error.message : 'intake unreachable'}`,
      );
      throw new ProblemException('service-unavailable', { detail: UNAVAILABLE });
    }
  }
}
