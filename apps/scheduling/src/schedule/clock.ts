import { Injectable } from '@nestjs/common';

/** Where scheduling reads "now"; the benchmark and tests pass their own. */
@Injectable()
export class SchedulingClock {
  now(): Date {
    return new Date();
  }
}
