import { BaseRpcContext } from '@nestjs/microservices';
import { type CareEvent, type EventTypeName } from '@stepwise/contracts';
import { type Transaction } from '../outbox/unit-of-work';

/**
 * What `@Ctx()` gives an event handler: the transaction that records the event in the service's inbox
 * (writes through `tx.manager` and events through `tx.publish` commit with it, exactly once) and the decoded
 * event envelope (id, time, key, correlation...) whose payload `@Payload()` gives.
 */
export class InboxContext<K extends EventTypeName = EventTypeName> extends BaseRpcContext<
  [CareEvent<K>, Transaction]
> {
  constructor(event: CareEvent<K>, tx: Transaction) {
    super([event, tx]);
  }

  get event(): CareEvent<K> {
    return this.args[0];
  }

  get tx(): Transaction {
    return this.args[1];
  }
}
