import { randomUUID } from 'node:crypto';
import {
  type CareEvent,
  Confidentiality,
  type EventPayload,
  type EventTypeName,
  examplePayload,
} from '@stepwise/contracts';

/** A care event as the consumer hands it to a handler: an example payload of the contract with overrides. */
export function careEvent<T extends EventTypeName>(
  type: T,
  overrides: Partial<EventPayload<T>>,
  id: string = randomUUID(),
): CareEvent<T> {
  const data = { ...examplePayload(type), ...overrides } as EventPayload<T>;
  return {
    type,
    version: 1,
    ceType: `care.test.${type}.v1`,
    id,
    source: 'test',
    time: new Date().toISOString(),
    key: randomUUID(),
    siteId: undefined,
    correlationId: id,
    causationId: undefined,
    confidentiality: Confidentiality.Part2,
    traceparent: undefined,
    data,
  };
}
