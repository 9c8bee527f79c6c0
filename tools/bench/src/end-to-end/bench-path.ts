import { type EventPayload } from '@stepwise/contracts';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with the database's clock. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface Committed {
  readonly eventId: string;
  /** When the writer saw its domain row commit (wall clock, ms). */
  readonly committedAt: number;
}

/** One way of getting a committed domain change to a consumer's effect. */
export interface BenchPath {
  readonly name: 'stepwise' | 'peer';
  readonly label: string;
  /** One request: commits the domain row (and whatever the path needs to get its event out). */
  request(payload: EventPayload<'SessionAttended'>): Promise<Committed>;
  close(): Promise<void>;
}
