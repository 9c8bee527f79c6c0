import { Injectable, type Provider } from '@nestjs/common';
import { type Resource } from '@medplum/fhirtypes';
import { type DisclosedResourceType } from '@stepwise/contracts';
import { AuditTrail } from '../audit/audit-trail';
import { type Actor } from '../auth/principal';
import { ProblemException } from '../problems/problem.exception';
import { type FhirSearchContext, ServedDisclosures } from './served-disclosures';
import { ServiceTokenClient } from './service-token.client';

/** Whose resources an answer carries: the client, and the site whose records they are (audited). */
export interface ServedClient {
  readonly clientId: string;
  /** Absent for a search that found nothing of the caller's network. */
  readonly siteId?: string;
  /** The resource read by id; absent for a search. */
  readonly resourceId?: string;
}

/**
 * A FHIR read of resources this service owns by an outside system (integration token): intake decides and
 * accounts the disclosure (`ServedDisclosures`), and this service audits the read as its own record of who
 * asked (`disclose`, allowed or denied). Only an outside system reads; anything else is 403.
 */
@Injectable()
export class ServedFhirReads {
  constructor(
    private readonly disclosures: ServedDisclosures,
    private readonly audit: AuditTrail,
  ) {}

  async answer(
    actor: Actor,
    type: DisclosedResourceType,
    served: ServedClient,
    resources: readonly Resource[],
    search?: FhirSearchContext,
  ): Promise<string> {
    const recipient = actor.principal.recipient;
    if (recipient === undefined)
      throw new ProblemException('permission-denied', {
        detail: 'Only an outside system reads the FHIR view',
      });
    const entry = {
      action: 'disclose',
      resourceType: `fhir-${type.toLowerCase()}`,
      ...(served.resourceId === undefined ? {} : { resourceId: served.resourceId }),
      clientId: served.clientId,
      ...(served.siteId === undefined ? {} : { siteId: served.siteId }),
    };
    try {
      const body = await this.disclosures.disclose({
        recipient,
        clientId: served.clientId,
        resourceType: type,
        resources,
        ...(search === undefined ? {} : { search }),
      });
      await this.audit.record(actor, { ...entry, outcome: 'allowed' });
      return body;
    } catch (error) {
      if (error instanceof ProblemException && error.code !== 'service-unavailable')
        await this.audit.record(actor, { ...entry, outcome: 'denied' });
      throw error;
    }
  }
}

/** The settings a service that serves FHIR resources of its own needs to reach intake (`PeerCallsConfig`). */
export interface IntakePeerSettings {
  readonly INTAKE_URL: string;
  readonly AUTH_TOKEN_URL: string;
  readonly AUTH_CLIENT_ID: string;
  readonly AUTH_CLIENT_SECRET: string;
}

/** This service's `service` token client, from its peer settings (`PeerCallsConfig`). */
export function serviceTokenProvider(config: Omit<IntakePeerSettings, 'INTAKE_URL'>): Provider {
  return {
    provide: ServiceTokenClient,
    useFactory: () =>
      new ServiceTokenClient({
        tokenUrl: config.AUTH_TOKEN_URL,
        clientId: config.AUTH_CLIENT_ID,
        clientSecret: config.AUTH_CLIENT_SECRET,
      }),
  };
}

/** The providers of `ServedFhirReads`: this service's token client and intake's disclosure decision. */
export function servedFhirReadProviders(config: IntakePeerSettings): Provider[] {
  return [
    serviceTokenProvider(config),
    {
      provide: ServedDisclosures,
      inject: [ServiceTokenClient],
      useFactory: (tokens: ServiceTokenClient) => new ServedDisclosures(config.INTAKE_URL, tokens),
    },
    ServedFhirReads,
  ];
}
