import { type EventTypeName } from '../registry/registry';
import { type AnyCareEvent, type CareEvent } from './care-event';

export type EventHandler<T extends EventTypeName, R = Promise<void>> = (event: CareEvent<T>) => R;

/**
 * A consumer's handlers, one per event type it handles: each handler receives exactly its event's payload type,
 * and a handler for a type that is not listed (or a wrongly typed handler) does not compile.
 */
export type EventHandlers<T extends EventTypeName, R = Promise<void>> = {
  readonly [K in T]: EventHandler<K, R>;
};

export type DispatchResult<R> = { readonly handled: true; readonly result: R } | { readonly handled: false };

/** Whether `handlers` has a handler for the event's type, narrowing the event to the handled types. */
export function handlesEvent<T extends EventTypeName>(
  handlers: EventHandlers<T, unknown>,
  event: AnyCareEvent,
): event is Extract<AnyCareEvent, { readonly type: T }> {
  return Object.prototype.hasOwnProperty.call(handlers, event.type);
}

/**
 * Calls the handler for the event's type. An event type without a handler is reported as not handled, so the
 * caller skips it deliberately (and counts it) instead of losing it silently.
 */
export function dispatchEvent<T extends EventTypeName, R>(
  handlers: EventHandlers<T, R>,
  event: AnyCareEvent,
): DispatchResult<R> {
  if (!handlesEvent(handlers, event)) return { handled: false };
  // TypeScript cannot correlate handlers[event.type] with event across the union; the lookup is by the same key.
  const handler = handlers[event.type as T] as EventHandler<EventTypeName, R>;
  return { handled: true, result: handler(event as CareEvent<EventTypeName>) };
}
