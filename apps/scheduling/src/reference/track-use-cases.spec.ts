import { NETWORK, actorAt } from '../testing/actors';
import { REF_NOW, referenceWorld, trackBody } from '../testing/reference-world';
import { CreateTrack } from './create-track';
import { GetTrack } from './get-track';
import { UpdateTrack } from './update-track';

const SITE_A = 'a0000000-0000-4000-8000-00000000000a';
const SITE_B = 'b0000000-0000-4000-8000-00000000000b';

type World = Awaited<ReturnType<typeof referenceWorld>>;
const creating = (w: World): CreateTrack => new CreateTrack(w.unitOfWork, w.store.asRepository(), w.clock);
const updating = (w: World): UpdateTrack =>
  new UpdateTrack(w.unitOfWork, w.records, w.store.asRepository(), w.clock);

describe('CreateTrack', () => {
  it('creates a track with its planned weekly minutes and publishes ProgramTrackUpserted', async () => {
    const w = await referenceWorld(SITE_A);
    const body = trackBody();
    // Extra members a client might send are neither stored nor published.
    const slots = body.weeklyPattern.map((s) => ({ ...s, note: 'ignored' }));
    const view = await creating(w).execute(SITE_A, { ...body, weeklyPattern: slots });
    expect(view).toMatchObject({
      siteId: SITE_A,
      plannedWeeklyMinutes: 300,
      updatedAt: REF_NOW,
      weeklyPattern: body.weeklyPattern,
    });
    expect(w.unitOfWork.published).toEqual([
      {
        type: 'ProgramTrackUpserted',
        payload: {
          programTrackId: view.id,
          siteId: SITE_A,
          name: 'Adult SUD evening',
          levelOfCare: '2.1',
          population: 'adult',
          weeklyPattern: body.weeklyPattern,
          plannedWeeklyMinutes: 300,
          modality: 'in-person',
          active: true,
          updatedAt: REF_NOW,
        },
      },
    ]);
  });

  it("publishes the track's own documentation grace (sessions closes its weeks that long after they end)", async () => {
    const w = await referenceWorld(SITE_A);
    const view = await creating(w).execute(SITE_A, { ...trackBody(), documentationGraceHours: 24 });
    expect(view.documentationGraceHours).toBe(24);
    expect(w.unitOfWork.eventsOf('ProgramTrackUpserted').map((e) => e.payload)).toEqual([
      expect.objectContaining({ documentationGraceHours: 24 }),
    ]);
  });

  it('answers 404 at a site that does not exist', async () => {
    const w = await referenceWorld();
    await expect(creating(w).execute(SITE_A, trackBody())).rejects.toMatchObject({ code: 'not-found' });
    expect(w.unitOfWork.published).toEqual([]);
  });
});

describe('UpdateTrack', () => {
  it('replaces the track at its site and publishes the new state', async () => {
    const w = await referenceWorld(SITE_A);
    const created = await creating(w).execute(SITE_A, trackBody());
    w.clock.set('2027-02-01T00:00:00Z');
    const view = await updating(w).execute(
      actorAt(SITE_A),
      created.id,
      trackBody({ active: false, name: 'Paused' }),
    );
    expect(view).toMatchObject({ id: created.id, siteId: SITE_A, name: 'Paused', active: false });
    expect(w.unitOfWork.eventsOf('ProgramTrackUpserted').map((e) => e.payload)).toEqual([
      expect.objectContaining({ active: true }),
      expect.objectContaining({ active: false, updatedAt: '2027-02-01T00:00:00.000Z' }),
    ]);
  });

  it("answers 404 for another site's track and audits the denial", async () => {
    const w = await referenceWorld(SITE_A);
    const created = await creating(w).execute(SITE_A, trackBody());
    await expect(updating(w).execute(actorAt(SITE_B), created.id, trackBody())).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(w.records.trail.entries).toEqual([
      {
        action: 'update',
        resourceType: 'program-track',
        resourceId: created.id,
        siteId: SITE_A,
        networkId: NETWORK,
        outcome: 'denied',
      },
    ]);
    expect(w.unitOfWork.published).toHaveLength(1);
  });
});

describe('GetTrack', () => {
  it('shows a track at the caller’s site and hides it from others (404)', async () => {
    const w = await referenceWorld(SITE_A);
    const created = await creating(w).execute(SITE_A, trackBody());
    const getting = new GetTrack(w.records);
    await expect(getting.execute(actorAt(SITE_A), created.id)).resolves.toEqual(created);
    await expect(getting.execute(actorAt(SITE_B), created.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(getting.execute(actorAt(SITE_A), 'no-such-track')).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
