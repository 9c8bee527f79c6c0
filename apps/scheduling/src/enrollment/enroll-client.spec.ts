import { Modality } from '@stepwise/contracts';
import {
  CLIENT,
  ENROLLMENT_NOW,
  ENROLLMENT_SITE as SITE,
  EPISODE,
  TRACK,
  admitted,
  enrollmentWorld,
} from '../testing/enrollment-world';
import { SchedulingEventRejected } from './intake-facts';

describe('EnrollClient', () => {
  it('enrolls from the local admission date, seats the client and announces ClientEnrolled with the seats', async () => {
    const w = enrollmentWorld();
    await w.unitOfWork.run((tx) => w.enrollClient.execute(admitted('2027-03-08T14:00:00.000Z'), tx));
    const [enrollment] = w.store.rows;
    expect(enrollment).toMatchObject({
      episode_id: EPISODE,
      site_id: SITE,
      program_track_id: TRACK,
      starts_on: '2027-03-08',
    });
    expect(w.seating.seated).toEqual([enrollment?.id]);
    expect(w.unitOfWork.published.map((e) => e.type)).toEqual(['ClientEnrolled', 'ClientWaitlisted']);
    expect(w.unitOfWork.published[0]?.payload).toEqual({
      enrollmentId: enrollment?.id,
      clientId: CLIENT,
      episodeId: EPISODE,
      siteId: SITE,
      programTrackId: TRACK,
      startsOn: '2027-03-08',
      plannedWeeklyMinutes: 240,
    });
    // Admitted ahead of time: four weeks from the start date, nothing backfilled.
    expect(w.generator.extended).toEqual([{ siteId: SITE, until: '2027-04-05' }]);
    expect(w.generator.filled).toEqual([
      { siteId: SITE, enrollmentIds: [enrollment?.id], includePast: false },
    ]);
    expect(w.generator.checked).toEqual([
      { from: '2027-03-08', until: '2027-04-05', enrollmentIds: [enrollment?.id] },
    ]);
    expect(w.unitOfWork.locks).toEqual([`scheduling:episode:${EPISODE}`]);
  });

  it('backfills from the start date of a backdated admission, and applies an admission once', async () => {
    const w = enrollmentWorld();
    await w.unitOfWork.run((tx) => w.enrollClient.execute(admitted('2027-02-22T14:00:00.000Z'), tx));
    await w.unitOfWork.run((tx) => w.enrollClient.execute(admitted('2027-02-22T14:00:00.000Z'), tx));
    expect(w.store.rows).toHaveLength(1);
    expect(w.generator.extended).toEqual([{ siteId: SITE, until: '2027-03-31', backfillFrom: '2027-02-22' }]);
    expect(w.generator.filled[0]).toMatchObject({ includePast: true });
  });

  it('rejects for good an admission to an unknown or inactive track', async () => {
    const w = enrollmentWorld();
    w.store.tracks.set(TRACK, {
      id: TRACK,
      site_id: SITE,
      modality: Modality.InPerson,
      weekly_pattern: [],
      active: false,
    });
    await expect(
      w.unitOfWork.run((tx) => w.enrollClient.execute(admitted(ENROLLMENT_NOW), tx)),
    ).rejects.toBeInstanceOf(SchedulingEventRejected);
    expect(w.unitOfWork.published).toEqual([]);
  });

  it('rejects for good an admission to a track of a site unknown to scheduling', async () => {
    const w = enrollmentWorld();
    w.generator.sites.clear();
    await expect(
      w.unitOfWork.run((tx) => w.enrollClient.execute(admitted(ENROLLMENT_NOW), tx)),
    ).rejects.toThrow(new SchedulingEventRejected('The site is unknown to scheduling'));
    expect(w.store.rows).toEqual([]);
  });
});
