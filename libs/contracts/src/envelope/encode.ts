import { type EventDefinition } from '../events/define-event';
import {
  eventDefinition,
  isEventTypeName,
  type EventPayload,
  type EventTypeName,
} from '../registry/registry';
import { type TopicName } from '../topics/topics';
import { isInstant, isUuid } from '../validation/formats';
import { checkPayload } from '../validation/violations';
import { ContractViolation, ContractViolationCode, describeViolations } from './contract-violation';
import {
  CloudEventHeaders,
  CLOUDEVENTS_SPEC_VERSION,
  CONTENT_TYPE_HEADER,
  JSON_CONTENT_TYPE,
  TRACEPARENT_HEADER,
} from './headers';
import { isValidTraceparent } from './traceparent';
import { uuidv7 } from './uuid-v7';

/** A Kafka-agnostic record: hand it to any producer (or store it in an outbox row). */
export interface EncodedMessage {
  readonly topic: TopicName;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** Where "now" and new ids come from; tests and replays pass their own. */
export interface EnvelopeEnvironment {
  readonly now: () => Date;
  readonly newId: () => string;
}

export const systemEnvelopeEnvironment: EnvelopeEnvironment = {
  now: () => new Date(),
  newId: () => uuidv7(),
};

/** The event that caused this one: its id becomes `ce_causationid` and its correlation id is carried on. */
export interface EventCause {
  readonly id: string;
  readonly correlationId: string;
}

export interface EncodeOptions {
  /** The version to publish; defaults to the latest. During a migration a producer publishes each version. */
  readonly version?: number;
  /** Defaults to a new UUIDv7 from the environment. */
  readonly id?: string;
  /** When the fact happened; defaults to the environment's now. */
  readonly time?: Date;
  /** Shorthand for `causationId` + `correlationId` taken from the event being handled. */
  readonly causedBy?: EventCause;
  /** Defaults to the cause's correlation id, else to this event's own id (it starts a new chain). */
  readonly correlationId?: string;
  readonly causationId?: string;
  /** W3C trace context of the publishing span; omitted when not traced. */
  readonly traceparent?: string;
  /** For events whose payload has no `siteId`; when the payload has one, the payload wins and this must agree. */
  readonly siteId?: string;
}

function invalidHeader(header: string, message: string, received?: string): ContractViolation {
  return new ContractViolation(ContractViolationCode.InvalidHeader, message, { header, received });
}

function requireUuid(header: string, value: string): string {
  if (!isUuid(value)) throw invalidHeader(header, `${header} must be a UUID`, value);
  return value;
}

function payloadSiteId(payload: object): string | undefined {
  const siteId = (payload as { siteId?: unknown }).siteId;
  return typeof siteId === 'string' ? siteId : undefined;
}

/**
 * Encodes a typed event as a CloudEvents 1.0 binary-mode Kafka record. The payload is validated first: publishing
 * something the contract rejects would only move the failure to every consumer.
 */
export function encodeEvent<T extends EventTypeName>(
  type: T,
  payload: EventPayload<T>,
  options: EncodeOptions = {},
  environment: EnvelopeEnvironment = systemEnvelopeEnvironment,
): EncodedMessage {
  if (!isEventTypeName(type)) {
    throw new ContractViolation(
      ContractViolationCode.UnknownEventType,
      `no event type named ${String(type)}`,
    );
  }
  let definition: EventDefinition;
  try {
    definition = eventDefinition(type, options.version);
  } catch {
    throw new ContractViolation(
      ContractViolationCode.UnknownEventVersion,
      `${type} has no version ${String(options.version)}`,
    );
  }
  const check = checkPayload(definition.payload, payload);
  if (check.violations.length > 0) {
    throw new ContractViolation(
      ContractViolationCode.InvalidPayload,
      `payload of ${definition.ceType} is invalid: ${describeViolations(check.violations)}`,
      { ceType: definition.ceType, violations: check.violations },
    );
  }

  const key = (payload as unknown as Record<string, unknown>)[definition.key];
  if (typeof key !== 'string' || key === '') {
    throw new ContractViolation(
      ContractViolationCode.MissingKey,
      `${definition.key} is required as the record key`,
    );
  }

  const id = requireUuid(CloudEventHeaders.Id, options.id ?? environment.newId());
  const time = options.time ?? environment.now();
  if (Number.isNaN(time.getTime()))
    throw invalidHeader(CloudEventHeaders.Time, 'ce_time must be a valid date');
  const correlationId = requireUuid(
    CloudEventHeaders.CorrelationId,
    options.correlationId ?? options.causedBy?.correlationId ?? id,
  );
  const causationId = options.causationId ?? options.causedBy?.id;

  const fromPayload = payloadSiteId(payload);
  if (fromPayload !== undefined && options.siteId !== undefined && options.siteId !== fromPayload) {
    throw new ContractViolation(
      ContractViolationCode.SiteMismatch,
      'siteId option differs from the payload siteId',
      {
        header: CloudEventHeaders.SiteId,
        expected: fromPayload,
        received: options.siteId,
      },
    );
  }
  const siteId = fromPayload ?? options.siteId;

  const headers: Record<string, string> = {
    [CloudEventHeaders.Id]: id,
    [CloudEventHeaders.Source]: definition.source,
    [CloudEventHeaders.Type]: definition.ceType,
    [CloudEventHeaders.SpecVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CloudEventHeaders.Time]: time.toISOString(),
    [CloudEventHeaders.Subject]: key,
    [CloudEventHeaders.CorrelationId]: correlationId,
    [CloudEventHeaders.Confidentiality]: definition.confidentiality,
    [CONTENT_TYPE_HEADER]: JSON_CONTENT_TYPE,
  };
  if (siteId !== undefined) headers[CloudEventHeaders.SiteId] = requireUuid(CloudEventHeaders.SiteId, siteId);
  if (causationId !== undefined) {
    headers[CloudEventHeaders.CausationId] = requireUuid(CloudEventHeaders.CausationId, causationId);
  }
  if (options.traceparent !== undefined) {
    if (!isValidTraceparent(options.traceparent)) {
      throw invalidHeader(
        TRACEPARENT_HEADER,
        'traceparent must follow W3C Trace Context',
        options.traceparent,
      );
    }
    headers[TRACEPARENT_HEADER] = options.traceparent;
  }
  // Sanity: toISOString always yields an RFC 3339 instant; this guards the invariant decode relies on.
  if (!isInstant(headers[CloudEventHeaders.Time]))
    throw invalidHeader(CloudEventHeaders.Time, 'ce_time is not RFC 3339');

  return {
    topic: definition.topic,
    key,
    value: Buffer.from(JSON.stringify(payload), 'utf8'),
    headers,
  };
}

/** An encoder bound to an environment, e.g. a service's injectable clock and id source. */
export type EventEncoder = <T extends EventTypeName>(
  type: T,
  payload: EventPayload<T>,
  options?: EncodeOptions,
) => EncodedMessage;

export function createEventEncoder(environment: EnvelopeEnvironment): EventEncoder {
  return (type, payload, options) => encodeEvent(type, payload, options, environment);
}
