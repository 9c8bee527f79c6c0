import { type Actor } from '../auth/principal';
import { type RecordKind } from '../authorization/scoped-records';
import { InMemoryScopedRecords, RecordingAuditTrail } from './in-memory-scoped-records';

interface NoteRow {
  readonly id: string;
  readonly site_id: string;
  readonly network_id: string | null;
  readonly client_id: string;
}

const NOTE: RecordKind<NoteRow> = {
  table: 'svc.notes',
  columns: 'id, site_id, network_id, client_id',
  resourceType: 'note',
  clientIdOf: (row) => row.client_id,
};

const SITE_A = '0c6e9a51-2d0a-4b1e-8d8f-6f2f7b1f6a01';
const SITE_B = '0c6e9a51-2d0a-4b1e-8d8f-6f2f7b1f6b02';
const NETWORK = '5b0b6a8e-8f6e-4d55-9a65-3d2e0b8f2c11';
const CLIENT = 'c1e2d3c4-b5a6-4978-8a1b-2c3d4e5f6a7b';

const note = (overrides: Partial<NoteRow> = {}): NoteRow => ({
  id: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b',
  site_id: SITE_A,
  network_id: null,
  client_id: CLIENT,
  ...overrides,
});

function actor(sites: readonly string[], roles: Actor['principal']['roles'] = []): Actor {
  return {
    principal: { id: 'user-1', kind: 'user', roles, sites, network: NETWORK },
    requestId: 'req-1',
    sourceAddress: undefined,
  };
}

describe('InMemoryScopedRecords', () => {
  it('loads a stored record at one of the caller’s sites without auditing, and reads it with an entry', async () => {
    const records = new InMemoryScopedRecords();
    const row = records.put(NOTE, note());

    await expect(records.load(actor([SITE_A]), NOTE, row.id, 'update')).resolves.toBe(row);
    expect(records.trail.entries).toEqual([]);

    await records.read(actor([SITE_A]), NOTE, row.id);
    expect(records.trail.entries).toEqual([
      {
        action: 'read',
        resourceType: 'note',
        resourceId: row.id,
        clientId: CLIENT,
        siteId: SITE_A,
        outcome: 'allowed',
      },
    ]);
  });

  it('answers 404 for a record it does not hold, auditing nothing', async () => {
    const records = new InMemoryScopedRecords();

    await expect(records.load(actor([SITE_A]), NOTE, note().id, 'read')).rejects.toMatchObject({
      code: 'not-found',
      problem: { detail: 'No such note' },
    });
    expect(records.trail.entries).toEqual([]);
  });

  it('answers 404 for a record at another site and audits the denial, as the library does', async () => {
    const records = new InMemoryScopedRecords();
    const row = records.put(NOTE, note({ site_id: SITE_B }));

    await expect(records.load(actor([SITE_A]), NOTE, row.id, 'sign')).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(records.trail.entries).toEqual([
      {
        action: 'sign',
        resourceType: 'note',
        resourceId: row.id,
        clientId: CLIENT,
        siteId: SITE_B,
        outcome: 'denied',
      },
    ]);
    expect(records.trail.outcomes()).toEqual(['sign:note:denied']);
  });

  it('keeps records of different kinds with one id apart', async () => {
    const records = new InMemoryScopedRecords();
    const other: RecordKind<NoteRow> = { ...NOTE, table: 'svc.other', resourceType: 'other' };
    records.put(other, note({ site_id: SITE_B }));
    const row = records.put(NOTE, note());

    await expect(records.load(actor([SITE_A]), NOTE, row.id, 'read')).resolves.toBe(row);
  });

  it('looks records up where the test keeps them, when given `find`', async () => {
    const kept = note();
    const records = new InMemoryScopedRecords({
      find: (table, id) => (table === NOTE.table && id === kept.id ? kept : undefined),
    });

    await expect(records.load(actor([SITE_A]), NOTE, kept.id, 'read')).resolves.toBe(kept);
  });

  it('lets a network-wide caller reach any site of the network it is given, and no other', async () => {
    const admin = actor([], ['network-admin']);
    const inNetwork = new InMemoryScopedRecords({ network: NETWORK });
    const unknown = new InMemoryScopedRecords();
    const row = note({ site_id: SITE_B });
    inNetwork.put(NOTE, row);
    unknown.put(NOTE, row);

    await expect(inNetwork.load(admin, NOTE, row.id, 'read')).resolves.toBe(row);
    await expect(unknown.load(admin, NOTE, row.id, 'read')).rejects.toMatchObject({ code: 'not-found' });
    await expect(inNetwork.scope.allows(admin.principal, SITE_A)).resolves.toBe(true);
  });

  it('checks a site named by the request and audits allowed access in the shared trail', async () => {
    const trail = new RecordingAuditTrail();
    const records = new InMemoryScopedRecords({ trail });
    const attempt = { action: 'create', resourceType: 'note' };

    await expect(records.assertSite(actor([SITE_A]), { siteId: SITE_B }, attempt)).rejects.toMatchObject({
      code: 'not-found',
    });
    await records.audited(actor([SITE_A]), 'create', NOTE, { id: note().id, siteId: SITE_A });
    await trail.record(actor([SITE_A]), {
      action: 'list',
      resourceType: 'note',
      siteId: SITE_A,
      outcome: 'allowed',
    });

    expect(trail.outcomes()).toEqual(['create:note:denied', 'create:note:allowed', 'list:note:allowed']);
    expect(trail.entries[1]).not.toHaveProperty('clientId');
  });

  it('fails loudly when asked for what only SQL answers', () => {
    expect(() => new RecordingAuditTrail().listForClient()).toThrow(/against the database/);
  });
});
