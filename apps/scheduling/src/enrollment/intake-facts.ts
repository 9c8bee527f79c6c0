import { type CareEvent, type EventCause } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { type ScheduleGenerator } from '../schedule/schedule-generator';
import { type SiteRow } from '../schedule/schedule.rows';

/*
 * What the enrollment use cases share in applying intake's events. They act for the system on facts intake
 * has already decided (there is no caller whose scope to check): each starts by locking the episode, so two
 * facts about one episode apply one after the other, and is idempotent in effect on top of the inbox.
 */

/** A permanent failure of an event: it cannot be applied however often it is retried (dead-lettered). */
export class SchedulingEventRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchedulingEventRejected';
  }
}

/** The event's identity, as the cause of the events applying it publishes. */
export const causeOf = (event: CareEvent): EventCause => ({
  id: event.id,
  correlationId: event.correlationId,
});

/** Serialises the facts about one episode (the first line of each enrollment use case). */
export const lockEpisode = (tx: Transaction, episodeId: string): Promise<void> =>
  tx.lockKey(`scheduling:episode:${episodeId}`);

/** The site an event refers to; an event about a site scheduling does not know is rejected for good. */
export async function knownSite(
  generator: ScheduleGenerator,
  tx: Transaction,
  siteId: string,
): Promise<SiteRow> {
  const site = await generator.loadSite(tx, siteId);
  if (site === undefined) throw new SchedulingEventRejected('The site is unknown to scheduling');
  return site;
}
