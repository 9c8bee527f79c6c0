import { randomUUID } from 'node:crypto';
import {
  type CareEvent,
  Confidentiality,
  type EventPayload,
  type EventTypeName,
  eventDefinition,
  examplePayload,
} from '@stepwise/contracts';

/** A care event as the consumer hands it to a handler: an example payload of the contract with overrides. */
export function careEvent<T extends EventTypeName>(
  type: T,
  overrides: Partial<EventPayload<T>>,
  id: string = randomUUID(),
): CareEvent<T> {
  const data = { ...examplePayload(type), ...overrides } as EventPayload<T>;
  const definition = eventDefinition(type);
  return {
    type,
    version: definition.version,
    ceType: definition.ceType,
    id,
    source: definition.source,
    time: new Date().toISOString(),
    // The record key, as the encoder takes it from the payload (the client, for every event about one).
    key: String((data as unknown as Record<string, unknown>)[definition.key]),
    siteId: undefined,
    correlationId: id,
    causationId: undefined,
    confidentiality: Confidentiality.Part2,
    traceparent: undefined,
    data,
  };
}
