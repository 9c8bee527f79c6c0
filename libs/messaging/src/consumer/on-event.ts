import { Catch, Controller, type RpcExceptionFilter, UseFilters, applyDecorators } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { type EventPayload, type EventTypeName } from '@stepwise/contracts';
import { type Observable, throwError } from 'rxjs';
import { type InboxContext } from './inbox-context';

/**
 * Hands a handler's error to the consumer unchanged. Nest's default RPC filter would log it and replace it
 * with `{ status: 'error' }`, and the consumer needs the original: a database outage must be waited out, not
 * counted as a failed attempt, and a dead letter carries the error's name and message.
 */
@Catch()
export class HandToConsumer implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** A class of `@OnEvent` handlers: a Nest controller whose handlers' errors reach the consumer unchanged. */
export function EventsController(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(HandToConsumer));
}

/** A handler method: the payload (`@Payload()`) and the inbox context (`@Ctx()`), or the context alone. */
export type EventHandlerMethod<K extends EventTypeName> =
  | ((payload: EventPayload<K>, context: InboxContext<K>) => Promise<void>)
  | ((context: InboxContext<K>) => Promise<void>);

/**
 * Nest's `@EventPattern(type)`, typed by the contract: the method must take the event type's payload and
 * inbox context, so a handler cannot be declared for one type and written for another.
 */
export function OnEvent<K extends EventTypeName>(type: K) {
  return <M extends EventHandlerMethod<K>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    EventPattern(type)(target, key, descriptor);
  };
}
