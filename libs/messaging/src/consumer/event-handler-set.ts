import { type EventTypeName, type TopicName } from '@stepwise/contracts';
import { type ConsumerHandlers, type EventHandlerMap } from './event-consumer';

/**
 * What a service consumes: the topics it reads (logical names from the topic map) and a handler per event
 * type. Each handler runs inside the transaction that records the event in the service's inbox, so writes
 * through `tx.manager` and events through `tx.publish` commit together with it, exactly once. Types on those
 * topics without a handler are skipped deliberately (and counted).
 *
 * An app implements this as an injectable provider of its own module and names the class in
 * `MessagingModule.forService({ consumer })`.
 */
export interface EventHandlerSet<T extends EventTypeName = EventTypeName> {
  readonly topics: readonly TopicName[];
  readonly handlers: ConsumerHandlers<T>;
}

/** Any handler set, whatever event types it handles (what `MessagingModule.forService({ consumer })` takes). */
export interface AnyEventHandlerSet {
  readonly topics: readonly TopicName[];
  readonly handlers: EventHandlerMap;
}
