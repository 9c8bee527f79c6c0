import { Injectable } from '@nestjs/common';

/**
 * Where "now" comes from. Clinical rules use the dates of the facts; the clock only decides when a week has
 * passed without any later fact, and stamps records. Tests replace it.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock a test sets by hand. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return this.current;
  }

  set(at: Date | string): void {
    this.current = typeof at === 'string' ? new Date(at) : at;
  }
}
