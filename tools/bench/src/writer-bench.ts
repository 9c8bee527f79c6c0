import { randomUUID } from 'node:crypto';
import { examplePayload } from '@stepwise/contracts';
import { type OutboxWakeUp, Outbox, POLL_ONLY, UnitOfWork } from '@stepwise/messaging';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { median } from './stats';

export interface WriterBenchOptions {
  readonly dataSource: DataSource;
  /** The schema owner's URL: only the owner may switch the trigger on and off. */
  readonly ownerUrl: string;
  readonly schema: string;
  readonly wakeUp: OutboxWakeUp;
  readonly transactions: number;
  readonly inFlight: number;
  readonly rounds: number;
  readonly keys: readonly string[];
}

export interface WriterFigures {
  readonly trigger: number;
  readonly wakeUp: number;
}

/**
 * The use case's side alone: `UnitOfWork` transactions that each publish one event, `inFlight` at a time,
 * in transactions per second. Alternates, for `rounds` rounds, the outbox as it was (the NOTIFY trigger of
 * `createOutboxNotifyTriggerV1`, which the benchmark's migration leaves disabled) with the outbox as it is
 * (no trigger; the UnitOfWork wakes the relay after commit). No relay runs: the rows are deleted after each
 * round.
 */
export async function writerThroughput(options: WriterBenchOptions): Promise<WriterFigures> {
  const owner = new Client({ connectionString: options.ownerUrl });
  await owner.connect();
  const outbox = `"${options.schema}"."outbox"`;
  const round = async (wakeUp: OutboxWakeUp): Promise<number> => {
    const unitOfWork = new UnitOfWork(options.dataSource, new Outbox(options.schema), wakeUp);
    let issued = 0;
    const begin = performance.now();
    await Promise.all(
      Array.from({ length: options.inFlight }, async () => {
        for (let i = issued++; i < options.transactions; i = issued++) {
          const clientId = options.keys[i % options.keys.length] ?? randomUUID();
          await unitOfWork.run((tx) =>
            tx.publish('SessionAttended', examplePayload('SessionAttended', { clientId })),
          );
        }
      }),
    );
    const rate = options.transactions / ((performance.now() - begin) / 1000);
    await owner.query(`DELETE FROM ${outbox}`);
    await owner.query(`VACUUM ${outbox}`);
    return rate;
  };
  const trigger: number[] = [];
  const wakeUp: number[] = [];
  try {
    for (let r = 1; r <= options.rounds; r++) {
      await owner.query(`ALTER TABLE ${outbox} ENABLE TRIGGER "outbox_notify"`);
      trigger.push(await round(POLL_ONLY));
      await owner.query(`ALTER TABLE ${outbox} DISABLE TRIGGER "outbox_notify"`);
      wakeUp.push(await round(options.wakeUp));
      console.log(
        `  round ${r}: writer with the NOTIFY trigger ${trigger.at(-1)?.toFixed(0).padStart(5)} tx/s, with the wake-up after commit ${wakeUp.at(-1)?.toFixed(0).padStart(5)} tx/s`,
      );
    }
  } finally {
    await owner.query(`ALTER TABLE ${outbox} DISABLE TRIGGER "outbox_notify"`).catch(() => undefined);
    await owner.end();
  }
  return { trigger: median(trigger), wakeUp: median(wakeUp) };
}
