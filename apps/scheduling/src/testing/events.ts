import {
  type CareEvent,
  type EventPayload,
  type EventTypeName,
  decodeEvent,
  encodeEvent,
  examplePayload,
} from '@stepwise/contracts';
import { type PublishedEvent } from '@stepwise/messaging';

/*
 * The events of the scheduling unit tests: those the service consumes (as the consumer hands them to a use
 * case) and those its use cases publish (as a test expects them), each from one factory.
 */

/**
 * A care event as the consumer hands it to a handler: the contract's example payload with overrides, through
 * the real envelope (encoded and decoded), so ids, correlation and validation are the contract's own.
 */
export function careEvent<T extends EventTypeName>(
  type: T,
  overrides: Partial<EventPayload<T>>,
): CareEvent<T> {
  // The example is a complete payload of the type; the overrides are fields of the same type.
  const payload = { ...examplePayload(type), ...overrides } as EventPayload<T>;
  // decodeEvent answers the union of all events; this one was encoded as `type`.
  return decodeEvent(encodeEvent(type, payload)) as CareEvent<T>;
}

/** Who and where an appointment event is about. */
export interface AppointmentIdentity {
  readonly appointmentId: string;
  readonly clientId: string;
  readonly episodeId: string;
  readonly siteId: string;
}

type AppointmentEventType = 'AppointmentCancelled' | 'AppointmentRescheduled';

/** An appointment event as a use case publishes it: the appointment's identity and the event's own fields. */
export function appointmentEvent<T extends AppointmentEventType>(
  type: T,
  appointment: AppointmentIdentity,
  fields: Omit<EventPayload<T>, keyof AppointmentIdentity>,
): PublishedEvent<T> {
  // The identity and the remaining fields together are the payload of `type`.
  const payload = { ...appointment, ...fields } as EventPayload<T>;
  return { type, payload };
}
