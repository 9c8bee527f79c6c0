import { Injectable } from '@nestjs/common';

/**
 * Where every service reads "now": use cases take the current instant from here, so tests fix or move time
 * instead of waiting for it, and nothing depends on the day a suite runs. Clinical facts carry their own times;
 * the clock only stamps records and decides what is due (a week closed, a reminder to send, a date in the past).
 * Each service provides it as `{ provide: Clock, useClass: SystemClock }`.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The machine's clock. */
@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock a test sets and advances by hand. */
export class ManualClock extends Clock {
  private current: Date;

  constructor(start: Date | string) {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
