import { RecordingUnitOfWork } from '@stepwise/messaging';
import { SessionType, Weekday } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { type CreateGroupSeriesDto } from '../series/series.dto';
import { InMemoryScopedRecords } from '@stepwise/security';
import { NETWORK } from './actors';
import { SITE_A, SITE_B, STAFF, TRACK } from './ids';
import { FakeScheduleGenerator, FakeSeating, InMemorySeries } from './in-memory-series';

export const SERIES_SITE = SITE_A;
export const OTHER_SITE = SITE_B;
export { TRACK };
export const FACILITATOR = STAFF;
export const SERIES_NOW = '2027-03-01T12:00:00.000Z';

/** A Monday evening process group of 12 in room 1, from 1 March 2027. */
export const seriesBody = (overrides: Partial<CreateGroupSeriesDto> = {}): CreateGroupSeriesDto => ({
  weekday: Weekday.Monday,
  start: '18:00',
  minutes: 180,
  sessionType: SessionType.ProcessGroup,
  programTrackId: TRACK,
  facilitatorId: FACILITATOR,
  room: 'Room 1',
  capacity: 12,
  startsOn: '2027-03-01',
  ...overrides,
});

/** Site A with its track and an active facilitator; site B known to the generator only. */
export function seriesWorld(): {
  unitOfWork: RecordingUnitOfWork;
  records: InMemoryScopedRecords;
  store: InMemorySeries;
  generator: FakeScheduleGenerator;
  seating: FakeSeating;
  clock: ManualClock;
} {
  const records = new InMemoryScopedRecords({ network: NETWORK });
  const store = new InMemorySeries(records);
  store.tracks.push({ id: TRACK, siteId: SERIES_SITE });
  store.staff.push({ id: FACILITATOR, siteIds: [SERIES_SITE] });
  const generator = new FakeScheduleGenerator();
  generator.addSite(SERIES_SITE);
  generator.addSite(OTHER_SITE);
  return {
    unitOfWork: new RecordingUnitOfWork(),
    records,
    store,
    generator,
    seating: new FakeSeating(),
    clock: new ManualClock(SERIES_NOW),
  };
}
