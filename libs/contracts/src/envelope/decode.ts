import { TextDecoder } from 'node:util';
import {
  findEventDefinitionByCeType,
  registeredVersions,
  type AnyEventDefinition,
  type EventTypeName,
} from '../registry/registry';
import { type EventDefinition } from '../events/define-event';
import { isInstant, isUuid } from '../validation/formats';
import { checkPayload } from '../validation/violations';
import { type AnyCareEvent, type CareEvent } from './care-event';
import { ContractViolation, ContractViolationCode, describeViolations } from './contract-violation';
import {
  CE_TRACEPARENT_HEADER,
  CE_TYPE_PATTERN,
  CloudEventHeaders,
  CLOUDEVENTS_SPEC_VERSION,
  CONTENT_TYPE_HEADER,
  JSON_CONTENT_TYPE,
  TRACEPARENT_HEADER,
} from './headers';
import { isValidTraceparent } from './traceparent';

/** A header value as Kafka clients hand it over (kafkajs gives an array when a header repeats). */
export type IncomingHeaderValue = Buffer | string | readonly (Buffer | string)[] | undefined;

/** A consumed record, Kafka-client agnostic. */
export interface IncomingMessage {
  readonly key: Buffer | string | null | undefined;
  readonly value: Buffer | string | null | undefined;
  readonly headers?: Readonly<Record<string, IncomingHeaderValue>> | undefined;
}

export interface DecodeOptions {
  /** The topic the record was read from; when given, the event type must belong on it. */
  readonly topic?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function violation(
  code: ContractViolationCode,
  message: string,
  details?: ConstructorParameters<typeof ContractViolation>[2],
): ContractViolation {
  return new ContractViolation(code, message, details);
}

function text(value: Buffer | string): string | undefined {
  if (typeof value === 'string') return value;
  try {
    return utf8.decode(value);
  } catch {
    return undefined;
  }
}

/** Header names are matched in lower case (the Kafka binding writes them so; some clients do not). */
function normalizeHeaders(raw: Readonly<Record<string, IncomingHeaderValue>>): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (headers.has(lower) || (Array.isArray(value) && value.length !== 1)) {
      throw violation(ContractViolationCode.InvalidHeader, `header ${lower} appears more than once`, {
        header: lower,
      });
    }
    const single = (Array.isArray(value) ? value[0] : value) as Buffer | string;
    const decoded = text(single);
    if (decoded === undefined) {
      throw violation(ContractViolationCode.InvalidHeader, `header ${lower} is not UTF-8`, { header: lower });
    }
    headers.set(lower, decoded);
  }
  return headers;
}

function required(headers: Map<string, string>, name: string): string {
  const value = headers.get(name);
  if (value === undefined || value === '') {
    throw violation(ContractViolationCode.MissingHeader, `header ${name} is required`, { header: name });
  }
  return value;
}

function requiredUuid(headers: Map<string, string>, name: string): string {
  const value = required(headers, name);
  if (!isUuid(value)) {
    throw violation(ContractViolationCode.InvalidHeader, `header ${name} must be a UUID`, {
      header: name,
      received: value,
    });
  }
  return value;
}

function optionalUuid(headers: Map<string, string>, name: string): string | undefined {
  return headers.has(name) ? requiredUuid(headers, name) : undefined;
}

/** Resolves `ce_type`, telling an unknown name apart from a known name in an unknown version. */
function resolveType(ceType: string): AnyEventDefinition {
  const definition = findEventDefinitionByCeType(ceType);
  if (definition) return definition;
  const match = CE_TYPE_PATTERN.exec(ceType);
  if (!match) {
    throw violation(
      ContractViolationCode.InvalidHeader,
      `ce_type ${ceType} is not care.<service>.<EventName>.v<n>`,
      {
        header: CloudEventHeaders.Type,
        received: ceType,
      },
    );
  }
  const [, service, name] = match;
  const known = registeredVersions(name ?? '');
  const sameService = known.length > 0 && findEventDefinitionByCeType(`care.${service}.${name}.v${known[0]}`);
  if (sameService) {
    throw violation(
      ContractViolationCode.UnknownEventVersion,
      `${name} has no version ${match[3]} (known: ${known.map((version) => `v${version}`).join(', ')})`,
      { header: CloudEventHeaders.Type, ceType, received: ceType },
    );
  }
  throw violation(ContractViolationCode.UnknownEventType, `no event type ${ceType}`, {
    header: CloudEventHeaders.Type,
    ceType,
    received: ceType,
  });
}

function isJsonContentType(value: string): boolean {
  // Media types are case-insensitive and may carry parameters such as `; charset=utf-8`.
  return value.split(';')[0]?.trim().toLowerCase() === JSON_CONTENT_TYPE;
}

/**
 * Decodes and validates a CloudEvents binary-mode Kafka record into a typed event, or throws a
 * `ContractViolation` whose code says exactly what is wrong. Unknown extra headers are ignored (forward
 * compatibility); everything the contract requires is checked.
 */
export function decodeEvent(message: IncomingMessage, options: DecodeOptions = {}): AnyCareEvent {
  if (message.value === null || message.value === undefined) {
    throw violation(
      ContractViolationCode.NullValue,
      'the record value is null; every event carries a payload',
    );
  }
  const headers = normalizeHeaders(message.headers ?? {});

  const specVersion = required(headers, CloudEventHeaders.SpecVersion);
  if (specVersion !== CLOUDEVENTS_SPEC_VERSION) {
    throw violation(
      ContractViolationCode.UnsupportedSpecVersion,
      `ce_specversion ${specVersion} is not 1.0`,
      {
        header: CloudEventHeaders.SpecVersion,
        expected: CLOUDEVENTS_SPEC_VERSION,
        received: specVersion,
      },
    );
  }
  const definition = resolveType(required(headers, CloudEventHeaders.Type));
  const ceType = definition.ceType;

  const id = requiredUuid(headers, CloudEventHeaders.Id);
  const source = required(headers, CloudEventHeaders.Source);
  if (source !== definition.source) {
    throw violation(ContractViolationCode.SourceMismatch, `${ceType} is published by ${definition.source}`, {
      header: CloudEventHeaders.Source,
      ceType,
      expected: definition.source,
      received: source,
    });
  }
  const time = required(headers, CloudEventHeaders.Time);
  if (!isInstant(time)) {
    throw violation(
      ContractViolationCode.InvalidHeader,
      'ce_time must be an RFC 3339 date-time with an offset',
      {
        header: CloudEventHeaders.Time,
        received: time,
      },
    );
  }
  const subject = required(headers, CloudEventHeaders.Subject);
  const correlationId = requiredUuid(headers, CloudEventHeaders.CorrelationId);
  const causationId = optionalUuid(headers, CloudEventHeaders.CausationId);
  const siteId = optionalUuid(headers, CloudEventHeaders.SiteId);
  const confidentiality = required(headers, CloudEventHeaders.Confidentiality);
  if (confidentiality !== definition.confidentiality) {
    throw violation(
      ContractViolationCode.ConfidentialityMismatch,
      `${ceType} is ${definition.confidentiality}`,
      {
        header: CloudEventHeaders.Confidentiality,
        ceType,
        expected: definition.confidentiality,
        received: confidentiality,
      },
    );
  }
  const contentType = required(headers, CONTENT_TYPE_HEADER);
  if (!isJsonContentType(contentType)) {
    throw violation(
      ContractViolationCode.UnsupportedContentType,
      `content-type ${contentType} is not application/json`,
      {
        header: CONTENT_TYPE_HEADER,
        expected: JSON_CONTENT_TYPE,
        received: contentType,
      },
    );
  }
  const traceparentHeader = headers.has(TRACEPARENT_HEADER) ? TRACEPARENT_HEADER : CE_TRACEPARENT_HEADER;
  const traceparent = headers.get(traceparentHeader);
  if (traceparent !== undefined && !isValidTraceparent(traceparent)) {
    throw violation(ContractViolationCode.InvalidHeader, 'traceparent must follow W3C Trace Context', {
      header: traceparentHeader,
      received: traceparent,
    });
  }

  if (options.topic !== undefined && options.topic !== definition.topic) {
    throw violation(ContractViolationCode.WrongTopic, `${ceType} belongs on ${definition.topic}`, {
      ceType,
      expected: definition.topic,
      received: options.topic,
    });
  }

  const key = message.key === null || message.key === undefined ? undefined : text(message.key);
  if (key === undefined || key === '') {
    throw violation(ContractViolationCode.MissingKey, `${ceType} records are keyed by ${definition.key}`, {
      ceType,
    });
  }

  const body = text(message.value);
  let data: unknown;
  try {
    if (body === undefined) throw new Error('not UTF-8');
    data = JSON.parse(body);
  } catch {
    throw violation(ContractViolationCode.NotJson, 'the record value is not UTF-8 JSON', { ceType });
  }

  const payloadClass: EventDefinition['payload'] = definition.payload;
  const check = checkPayload(payloadClass, data);
  if (!check.value) {
    throw violation(
      ContractViolationCode.InvalidPayload,
      `payload of ${ceType} is invalid: ${describeViolations(check.violations)}`,
      { ceType, violations: check.violations },
    );
  }
  const payload = check.value as unknown as Record<string, unknown>;

  const expectedKey = payload[definition.key];
  if (key !== expectedKey) {
    throw violation(
      ContractViolationCode.KeyMismatch,
      `the record key must be the payload's ${definition.key}`,
      {
        ceType,
        expected: String(expectedKey),
        received: key,
      },
    );
  }
  if (subject !== key) {
    throw violation(ContractViolationCode.SubjectMismatch, 'ce_subject must equal the record key', {
      header: CloudEventHeaders.Subject,
      ceType,
      expected: key,
      received: subject,
    });
  }
  const payloadSiteId = typeof payload['siteId'] === 'string' ? payload['siteId'] : undefined;
  if (payloadSiteId !== undefined && siteId === undefined) {
    throw violation(ContractViolationCode.MissingHeader, `${ceType} has a siteId, so ce_siteid is required`, {
      header: CloudEventHeaders.SiteId,
      ceType,
    });
  }
  if (payloadSiteId !== undefined && siteId !== payloadSiteId) {
    throw violation(ContractViolationCode.SiteMismatch, "ce_siteid must equal the payload's siteId", {
      header: CloudEventHeaders.SiteId,
      ceType,
      expected: payloadSiteId,
      received: siteId,
    });
  }

  const event: CareEvent<EventTypeName> = {
    type: definition.type,
    version: definition.version,
    ceType,
    id,
    source,
    time,
    key,
    siteId,
    correlationId,
    causationId,
    confidentiality: definition.confidentiality,
    traceparent,
    data: check.value as CareEvent<EventTypeName>['data'],
  };
  return event as AnyCareEvent;
}
