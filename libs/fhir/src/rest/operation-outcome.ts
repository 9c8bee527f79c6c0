import { type OperationOutcome } from '@medplum/fhirtypes';

/** The issue types this view answers with (FHIR R4 issue-type value set). */
export type OutcomeIssue = 'not-found' | 'forbidden' | 'login' | 'invalid' | 'not-supported' | 'exception';

/**
 * An error as FHIR clients expect it: one issue of severity `error`, its type and a short diagnostic text
 * (never PHI). `code` is the program's problem code, kept in `details` so an integrator can match it.
 */
export function operationOutcome(issue: OutcomeIssue, diagnostics: string, code?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issue,
        diagnostics,
        ...(code === undefined ? {} : { details: { coding: [{ system: 'urn:stepwise:problem', code }] } }),
      },
    ],
  };
}

/** The issue type of an HTTP status, for the errors the services' problem handling produces. */
export function issueOfStatus(status: number): OutcomeIssue {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 400 || status === 422) return 'invalid';
  if (status === 405 || status === 406 || status === 415) return 'not-supported';
  return 'exception';
}
