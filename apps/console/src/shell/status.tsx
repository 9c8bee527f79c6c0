import { Alert, Center, Loader } from '@mantine/core';
import { type ReactNode } from 'react';
import { ApiProblem } from '../api/problem';

/** A query's loading and error states, the same on every screen. */
export function QueryState({
  label,
  isPending,
  error,
}: {
  label: string;
  isPending: boolean;
  error: unknown;
}): ReactNode {
  if (error !== null && error !== undefined)
    return <ProblemAlert title={`${label} did not load`} error={error} />;
  if (isPending) {
    return (
      <Center p="lg">
        <Loader size="sm" aria-label={`Loading ${label.toLowerCase()}`} />
      </Center>
    );
  }
  return null;
}

export function ProblemAlert({ title, error }: { title: string; error: unknown }): ReactNode {
  const text =
    error instanceof ApiProblem
      ? error.summary
      : error instanceof Error
        ? error.message
        : 'Something went wrong.';
  return (
    <Alert color="red" title={title} role="alert">
      {text}
      {error instanceof ApiProblem && error.requestId !== undefined && (
        <div>
          <small>Request {error.requestId}</small>
        </div>
      )}
    </Alert>
  );
}
