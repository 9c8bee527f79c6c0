import { type ReactNode } from 'react';
import { ProblemAlert } from '../shell/status';
import { type FieldErrors, placeProblem } from './intake-flow';

/**
 * A step's problems: its own checks (shown before anything is sent) over the service's refusal, each field's
 * beside that field, the rest as the step's message.
 */
export function stepErrors(
  local: FieldErrors,
  refusal: unknown,
  shown: readonly string[],
): { fields: FieldErrors; general: unknown } {
  const placed = placeProblem(refusal, shown);
  return { fields: { ...placed.fields, ...local }, general: placed.general };
}

/** The step's message for a refusal no field shows (403, 404, 409, or a field this form does not have). */
export function StepProblem({ title, error }: { title: string; error: unknown }): ReactNode {
  return error === null || error === undefined ? null : <ProblemAlert title={title} error={error} />;
}
