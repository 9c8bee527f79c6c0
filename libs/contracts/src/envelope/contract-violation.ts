import { type PayloadViolation } from '../validation/violations';

/** Stable reasons a message breaks the contract; dead-letter records and metrics carry these codes. */
export enum ContractViolationCode {
  /** A required `ce_*`, `content-type` (or, for events with a site, `ce_siteid`) header is absent or empty. */
  MissingHeader = 'MISSING_HEADER',
  /** A header is present but malformed (not a UUID, not RFC 3339, bad traceparent, repeated...). */
  InvalidHeader = 'INVALID_HEADER',
  UnsupportedSpecVersion = 'UNSUPPORTED_SPECVERSION',
  UnsupportedContentType = 'UNSUPPORTED_CONTENT_TYPE',
  /** No event of that name exists for that service. */
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  /** The event name is known but not in this version. */
  UnknownEventVersion = 'UNKNOWN_EVENT_VERSION',
  /** The record value is null (a tombstone): events always carry a payload. */
  NullValue = 'NULL_VALUE',
  NotJson = 'NOT_JSON',
  InvalidPayload = 'INVALID_PAYLOAD',
  MissingKey = 'MISSING_KEY',
  /** The record key is not the payload's key field. */
  KeyMismatch = 'KEY_MISMATCH',
  /** `ce_subject` is not the record key. */
  SubjectMismatch = 'SUBJECT_MISMATCH',
  /** `ce_source` is not the source of the service that owns the type. */
  SourceMismatch = 'SOURCE_MISMATCH',
  ConfidentialityMismatch = 'CONFIDENTIALITY_MISMATCH',
  /** `ce_siteid` differs from the payload's `siteId`. */
  SiteMismatch = 'SITE_MISMATCH',
  /** The event type does not belong on the topic it was read from. */
  WrongTopic = 'WRONG_TOPIC',
}

export interface ContractViolationDetails {
  /** The header at fault, e.g. `ce_specversion`. */
  readonly header?: string;
  /** The `ce_type` involved, when known. */
  readonly ceType?: string;
  readonly expected?: string;
  readonly received?: string;
  /** For INVALID_PAYLOAD: every broken rule, with the property path and the constraint name. */
  readonly violations?: readonly PayloadViolation[];
}

/**
 * A message (or a payload about to be published) does not satisfy the event contract. Never retryable: the same
 * bytes will fail the same way, so consumers send it to their dead-letter topic at once.
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  readonly retryable = false;

  constructor(
    readonly code: ContractViolationCode,
    message: string,
    readonly details: ContractViolationDetails = {},
  ) {
    super(`${code}: ${message}`);
  }
}

export function isContractViolation(error: unknown): error is ContractViolation {
  return error instanceof ContractViolation;
}

export function describeViolations(violations: readonly PayloadViolation[]): string {
  return violations
    .map((violation) => `${violation.path || '(payload)'} [${violation.constraint}] ${violation.message}`)
    .join('; ');
}
