import { join } from 'node:path';
import { type EncodedMessage, isEventTypeName, validatePayload } from '@stepwise/contracts';
import { type DataSource } from 'typeorm';
import { intakeDefinition } from '../intake.definition';
import { type ReferenceWorld, referenceEvents } from './fixtures';

/** What the intake specs use of a running app (the shape of @stepwise/testing's ServiceApp). */
export interface RunningIntake {
  readonly url: string;
  readonly dataSource: DataSource;
  publish(...messages: EncodedMessage[]): Promise<EncodedMessage[]>;
}

export interface OutboxEvent {
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly text: string;
}

/** Every event the app wrote to its outbox (what its relay publishes), oldest first. */
export async function outboxEvents(app: RunningIntake, ceType?: string): Promise<OutboxEvent[]> {
  const rows = await app.dataSource.query<
    { type: string; payload: Record<string, unknown>; headers: Record<string, string>; text: string }[]
  >(
    `SELECT type, payload, headers, payload::text || headers::text AS text FROM intake.outbox
      ${ceType === undefined ? '' : 'WHERE type = $1'} ORDER BY sequence`,
    ceType === undefined ? [] : [`care.intake.${ceType}.v1`],
  );
  return rows;
}

export async function countRows(app: RunningIntake, ...tables: string[]): Promise<number> {
  let total = 0;
  for (const table of tables) {
    const [row] = await app.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM intake.${table}`);
    total += Number(row?.n ?? 0);
  }
  return total;
}

/**
 * Publishes the world's sites and tracks on the reference topic and waits until the consumer projected them
 * (the real path: Kafka → inbox → projection).
 */
export async function seedReference(
  app: RunningIntake,
  world: ReferenceWorld,
  waitFor: <T>(what: string, probe: () => Promise<T>, until: (value: T) => boolean) => Promise<T>,
): Promise<void> {
  await app.publish(...referenceEvents(world));
  await waitFor(
    'the reference projection',
    () => countRows(app, 'sites', 'program_tracks'),
    (n) => n >= 7,
  );
}

/**
 * Every event the app wrote validates against its contract and carries none of the seeded PHI canaries
 * (names, birth date, phone, e-mail, address, referrer and recipient details) — in payload or headers.
 */
export async function expectCleanEvents(app: RunningIntake, canaries: readonly string[]): Promise<number> {
  const events = await outboxEvents(app);
  for (const event of events) {
    const type = /^care\.intake\.(\w+)\.v1$/.exec(event.type)?.[1];
    if (type === undefined || !isEventTypeName(type)) throw new Error(`unexpected event type ${event.type}`);
    expect(() => validatePayload(type, event.payload)).not.toThrow();
    const text = event.text.toLowerCase();
    for (const canary of canaries)
      expect({ type, leaked: text.includes(canary.toLowerCase()) }).toEqual({ type, leaked: false });
  }
  return events.length;
}

type Starter<A> = (
  definition: typeof intakeDefinition,
  options: { label: string; envExample: string; env?: Record<string, string> },
) => Promise<A>;

/** Starts the real intake service for one spec file (own database and topics) with the world's reference data. */
export async function startIntake<A extends RunningIntake>(
  start: Starter<A>,
  label: string,
  world: ReferenceWorld,
  waitFor: Parameters<typeof seedReference>[2],
): Promise<A> {
  const app = await start(intakeDefinition, {
    label,
    envExample: join(__dirname, '../../.env.example'),
    env: { RATE_LIMIT_REQUESTS: '100000' },
  });
  await seedReference(app, world, waitFor);
  return app;
}
