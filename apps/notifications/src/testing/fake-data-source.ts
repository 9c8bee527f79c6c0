import { NO_DATABASE } from '@stepwise/messaging';
import { type DataSource, type EntityManager } from 'typeorm';
import { type IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

type Work<R> = (manager: EntityManager) => Promise<R>;

/** `DataSource.transaction` for use cases that take it (with or without an isolation level): runs the work. */
export class FakeDataSource implements Pick<DataSource, 'transaction'> {
  transactions = 0;

  transaction<R>(...args: [Work<R>] | [IsolationLevel, Work<R>]): Promise<R> {
    this.transactions += 1;
    const work = args.length === 1 ? args[0] : args[1];
    return work(NO_DATABASE);
  }
}
