import { randomUUID } from 'node:crypto';
import { ProblemException } from '@stepwise/security';
import { RecordingAuditTrail, siteScope, staffActor } from '../testing/fake-security';
import { FakeDataSource } from '../testing/fake-data-source';
import { type PreferencesDto } from './preferences.dto';
import { type PreferencesRepository, type PreferencesRow } from './preferences.repository';
import { SetPreferences } from './set-preferences';

/** Recipients' preferences in memory, keyed by recipient. */
class InMemoryPreferences implements Pick<PreferencesRepository, 'lockSiteOf' | 'upsert'> {
  readonly rows = new Map<string, PreferencesRow & { updatedBy: string }>();

  lockSiteOf(_manager: unknown, recipientId: string): Promise<string | undefined> {
    return Promise.resolve(this.rows.get(recipientId)?.site_id);
  }

  upsert(
    _manager: unknown,
    recipientId: string,
    p: PreferencesDto,
    updatedBy: string,
  ): Promise<PreferencesRow> {
    const row = {
      recipient_id: recipientId,
      recipient_kind: p.recipientKind,
      site_id: p.siteId,
      channels: p.channels,
      quiet_start: p.quietHours?.start ?? null,
      quiet_end: p.quietHours?.end ?? null,
      time_zone: p.timeZone ?? null,
      preferred_language: p.preferredLanguage ?? null,
      opted_out: p.optedOut,
    };
    this.rows.set(recipientId, { ...row, updatedBy });
    return Promise.resolve(row);
  }
}

describe("SetPreferences (sets a recipient's preferences)", () => {
  const siteA = randomUUID();
  const siteB = randomUUID();
  const clientId = randomUUID();
  const atA = staffActor(randomUUID(), [siteA]);
  const atB = staffActor(randomUUID(), [siteB]);
  let preferences: InMemoryPreferences;
  let audit: RecordingAuditTrail;
  let set: SetPreferences;

  beforeEach(() => {
    preferences = new InMemoryPreferences();
    audit = new RecordingAuditTrail();
    set = new SetPreferences(new FakeDataSource(), preferences, siteScope(audit), audit);
  });

  const prefs = (siteId: string, overrides: Partial<PreferencesDto> = {}): PreferencesDto => ({
    siteId,
    recipientKind: 'client',
    channels: ['sms'],
    quietHours: { start: '21:00', end: '08:00' },
    optedOut: false,
    ...overrides,
  });

  it('stores new preferences, as set by the caller, audited', async () => {
    const row = await set.set(atA, clientId, prefs(siteA, { timeZone: 'America/Chicago' }));

    expect(row).toMatchObject({
      site_id: siteA,
      channels: ['sms'],
      quiet_start: '21:00',
      time_zone: 'America/Chicago',
    });
    expect(preferences.rows.get(clientId)?.updatedBy).toBe(atA.principal.id);
    expect(audit.entries).toEqual([
      {
        action: 'update',
        resourceType: 'preferences',
        resourceId: clientId,
        clientId,
        siteId: siteA,
        outcome: 'allowed',
        actorId: atA.principal.id,
      },
    ]);
  });

  it('replaces preferences of the caller’s site', async () => {
    await set.set(atA, clientId, prefs(siteA));
    await set.set(atA, clientId, prefs(siteA, { optedOut: true, channels: ['email'] }));

    expect(preferences.rows.get(clientId)).toMatchObject({ opted_out: true, channels: ['email'] });
  });

  it('answers not-found for preferences stored at another site, changing nothing and auditing the denial', async () => {
    await set.set(atA, clientId, prefs(siteA));
    const attempt = set.set(atB, clientId, prefs(siteB, { optedOut: true }));

    await expect(attempt).rejects.toBeInstanceOf(ProblemException);
    await attempt.catch((error: ProblemException) => expect(error.code).toBe('not-found'));
    expect(preferences.rows.get(clientId)).toMatchObject({ site_id: siteA, opted_out: false });
    expect(audit.entries.at(-1)).toMatchObject({
      actorId: atB.principal.id,
      siteId: siteA,
      outcome: 'denied',
    });
  });
});
