import { AsyncResource } from 'node:async_hooks';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { CoalescedPasses, describeError } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { table } from '../sessions.tables';
import { EvaluateEpisode, episodeLockKeys } from './evaluate-episode';

/** How often a replica looks for episodes it was not woken for: left by a crashed replica, or due a retry. */
const POLL_INTERVAL_MS = 5_000;
/** Episodes evaluated in one transaction when several are due. */
const BATCH = 16;
/** A failing evaluation is tried again after 2, 4, 8 … seconds, at most this far apart. */
const MAX_RETRY_DELAY_S = 300;

/**
 * Runs an episode's progress evaluation after the request that changed its facts has committed, instead of
 * inside it. The evaluation reads the episode's whole history (a dozen statements); inside the attendance
 * request it held a pooled connection and the episode's lock for more than half of the request's round trips,
 * while nothing the counselor sees in the answer depends on it: its results are derived facts (closed weeks,
 * risks, recommendations) published as events of their own.
 *
 * Nothing is lost for it: `markAndLock` marks the episode due in the request's own transaction, so the mark
 * commits with the facts or not at all; after the commit this replica is woken, and a poll finds marks left by
 * a replica that stopped first. Each evaluation claims its mark (`DELETE … FOR UPDATE SKIP LOCKED`, so replicas
 * never evaluate one episode at once) in the transaction that stores and publishes what it derives: a crash
 * leaves the mark in place, and a re-run derives nothing twice (every derived fact has a natural key).
 * Writes to one episode while its evaluation runs are not missed either: marking it waits for the claiming
 * transaction, then marks it due again.
 */
@Injectable()
export class DeferredEvaluation implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeferredEvaluation.name);
  private timer: NodeJS.Timeout | undefined;
  private readonly passes = new CoalescedPasses(() => this.pass());
  /**
   * Wakes the drain in the context this service was built in, not the request's whose commit called it: a
   * pass serves many requests, so its logs and spans must not carry one request's id and trace.
   */
  private readonly wake = AsyncResource.bind((): void => void this.drain());
  private stopped = false;
  /** Claims left to take one at a time, after a batch failed. */
  private singles = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly evaluate: EvaluateEpisode,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    // The first tick also finds the marks a previous process left behind.
    this.timer = setInterval(() => void this.drain(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the database closes (in other modules' shutdown hooks): the pass running finishes, none starts. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.passes.current?.catch(() => undefined);
  }

  /**
   * Marks the episodes due for evaluation and takes their evaluation locks (`lockEpisodes`), in `tx` and in
   * one statement: the marks first, then the locks. That order matters: marking an episode whose evaluation
   * is running waits for that evaluation, which itself waits for the episode's lock — taken the other way
   * round, the two would wait for each other.
   */
  async markAndLock(tx: Transaction, episodeIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(episodeIds)].sort();
    if (ids.length === 0) return;
    // A mark an evaluation has claimed (deleted, not yet committed) makes this wait for that evaluation; then
    // the episode is marked again, and evaluated again with this request's facts.
    await tx.lockKeys(episodeLockKeys(ids), {
      sql: `INSERT INTO ${table('evaluations_due')} (episode_id, marked_at)
            SELECT id, clock_timestamp() FROM unnest($1::uuid[]) AS id
            ON CONFLICT (episode_id) DO UPDATE SET marked_at = EXCLUDED.marked_at
            RETURNING episode_id`,
      parameters: [ids],
    });
    tx.afterCommit(this.wake);
  }

  /**
   * Evaluates every episode due now, in batches, until none is left. One pass at a time per
   * process; a call during a pass asks for another. Never rejects: a failure is logged and retried later.
   */
  drain(): Promise<void> {
    if (this.stopped) return this.passes.current ?? Promise.resolve();
    // The database connects in the background at start (DatabaseLifecycle); the poll comes back.
    if (!this.dataSource.isInitialized) return Promise.resolve();
    return this.passes.run().catch((error: unknown) => {
      // The database is unreachable, say: the poll tries again.
      this.logger.warn(`Deferred evaluations paused: ${describeError(error)}`);
    });
  }

  /** Evaluates what is due until nothing is (or the service stops). */
  private async pass(): Promise<void> {
    while (!this.stopped && (await this.evaluateNext()));
  }

  /**
   * Claims up to BATCH due episodes and evaluates them in one transaction (one BEGIN, claim, rules read and
   * COMMIT for all: a backlog drains in a third of the statements); false when none is due. When a batch
   * fails, its marks are back and the episodes are taken one at a time until the failing one is found and
   * put off.
   */
  private async evaluateNext(): Promise<boolean> {
    const size = this.singles > 0 ? 1 : BATCH;
    let claimed: string[] = [];
    try {
      const found = await this.uow.run(async (tx) => {
        // TypeORM answers a DELETE … RETURNING with [rows, count].
        const [rows] = await tx.manager.query<[{ episode_id: string }[], number]>(
          `DELETE FROM ${table('evaluations_due')} WHERE episode_id IN (
             SELECT episode_id FROM ${table('evaluations_due')} WHERE not_before <= clock_timestamp()
              ORDER BY not_before, marked_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING episode_id`,
          [size],
        );
        // In the order every writer locks episodes in, so a batch never deadlocks with a request.
        claimed = rows.map((row) => row.episode_id).sort();
        await this.evaluate.runAll(tx, claimed);
        return claimed.length > 0;
      });
      this.singles = Math.max(0, this.singles - 1);
      return found;
    } catch (error) {
      if (claimed.length === 0) throw error;
      if (claimed.length > 1) {
        this.singles = claimed.length;
        return true;
      }
      // The claim rolled back with the evaluation: the mark is still there. Put it off, so one episode the
      // rules cannot evaluate does not hold up the others.
      const [episodeId] = claimed;
      this.logger.warn(`Evaluation of episode ${episodeId} failed, will retry: ${describeError(error)}`);
      await this.uow.run((tx) =>
        tx.manager.query(
          `UPDATE ${table('evaluations_due')} SET attempts = attempts + 1,
             not_before = clock_timestamp() + make_interval(secs => least(power(2, attempts + 1), $2))
           WHERE episode_id = $1`,
          [episodeId, MAX_RETRY_DELAY_S],
        ),
      );
      this.singles = Math.max(0, this.singles - 1);
      return true;
    }
  }
}
