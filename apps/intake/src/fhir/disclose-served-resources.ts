import { Injectable } from '@nestjs/common';
import { type Resource } from '@medplum/fhirtypes';
import { type Actor, ProblemException } from '@stepwise/security';
import { type DisclosureOutcome, FhirDisclosure } from './fhir-disclosure';
import { many, one } from './fhir-resources';
import { type ServedDisclosureDto } from './served-disclosure.dto';

/**
 * The disclosure decision other services ask before they answer an outside system (scheduling's Appointment,
 * sessions' Encounter): the same consent rule, audit and accounting as intake's own FHIR reads, in one
 * transaction here, where the consents are. Intake labels the resources and returns the exact body to send,
 * so the RecordsDisclosed hash is of what leaves and nothing leaves unlabelled or unaccounted.
 */
@Injectable()
export class DiscloseServedResources {
  constructor(private readonly disclosure: FhirDisclosure) {}

  execute(actor: Actor, request: ServedDisclosureDto): Promise<DisclosureOutcome> {
    const resources = request.resources as unknown as Resource[];
    const foreign = resources.find(
      (r) => r.resourceType !== request.resourceType || typeof r.id !== 'string',
    );
    if (foreign !== undefined)
      throw new ProblemException('validation-failed', {
        detail: `resources must all be ${request.resourceType} resources with an id`,
      });
    const search = request.search;
    const only = resources[0];
    if (search === undefined && (resources.length !== 1 || only === undefined))
      throw new ProblemException('validation-failed', {
        detail: 'a read by id discloses exactly one resource (a search names search.base and search.self)',
      });
    return this.disclosure.disclose(
      actor,
      request.recipient,
      request.resourceType,
      request.clientId,
      (grant) =>
        Promise.resolve(search === undefined ? one(grant, only as Resource) : many(grant, search, resources)),
    );
  }
}
