import { type EventPayload } from '@stepwise/contracts';

export { wallNow } from './bench-tables';

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
  /**
   * Per event id, when its path handed it to the broker and when the broker acknowledged it (wall clock,
   * ms): the relay's batch send for Stepwise, the request's emit for the peer.
   */
  readonly sends: Map<string, { readonly sent: number; readonly acked: number }>;
  close(): Promise<void>;
}
