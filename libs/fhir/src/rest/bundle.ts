import { type Bundle, type Resource } from '@medplum/fhirtypes';

/** The media type of every FHIR answer (FHIR R4 http.html#mime-type). */
export const FHIR_JSON = 'application/fhir+json';

/** Where a service serves its FHIR R4 resources (outside the /v1 prefix: `r4` is the version). */
export const FHIR_BASE_PATH = '/fhir/r4';

/**
 * A search answer: a `searchset` Bundle holding every match (`total`), each entry with its full URL and
 * `search.mode = match`. `base` is the server's FHIR base URL (…/fhir/r4) and `self` the search as asked.
 */
export function searchset<T extends Resource>(
  base: string,
  self: string,
  resources: readonly T[],
): Bundle<T> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: self }],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}
