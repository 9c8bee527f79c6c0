import { Injectable } from '@nestjs/common';

/**
 * "Now", injectable: use cases take the current instant from here, so tests (and a demo replaying a past
 * programme) control time; clinical facts carry their own times and never depend on it.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
