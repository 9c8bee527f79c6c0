import { randomUUID } from 'node:crypto';
import { Topics } from '@stepwise/contracts';
import { http, testTokens } from '@stepwise/testing';
import { type Seat, SUPERVISOR_ID, aGroup, assessed, eventsOf, useSessions } from '../testing/sessions-app';

const sessions = useSessions('sessions_medications');

const screen = (client: Seat, collectedAt: string, result: string, substanceCodes: string[] = []) => ({
  episodeId: client.episodeId,
  collectedAt,
  resultedAt: new Date(Date.parse(collectedAt) + 3_600_000).toISOString(),
  result,
  substanceCodes,
});

describe('medication-assisted treatment', () => {
  it('keeps a medication list per episode; expected MAT positives are no relapse, a missing MAT medication alerts', async () => {
    const s = sessions();
    const group = await aGroup(s, 1);
    const client = group.clients[0] as Seat;
    await assessed(s, client, group.site);
    const supervisor = await testTokens.valid({
      sub: SUPERVISOR_ID,
      roles: ['clinical-supervisor'],
      sites: [group.site],
    });
    const body = {
      medicationCode: 'buprenorphine-naloxone',
      mat: true,
      prescriberId: SUPERVISOR_ID,
      startsOn: '2025-03-03',
      // No expected substances of its own: the program policy in force lists buprenorphine for its code.
    };
    const url = `${s.svc.url}/v1/episodes/${client.episodeId}/medications`;
    // Counselors read the list but do not keep it; another site's supervisor does not see the episode.
    expect((await http(url, { token: group.token, json: body })).status).toBe(403);
    const elsewhere = await testTokens.valid({ roles: ['clinical-supervisor'], sites: [randomUUID()] });
    expect((await http(url, { token: elsewhere, json: body })).status).toBe(404);
    const added = await http<{ medicationId: string }>(url, { token: supervisor, json: body });
    expect(added.status).toBe(201);
    const listed = await http<unknown[]>(url, { token: group.token });
    expect(listed.body).toEqual([
      expect.objectContaining({ medicationCode: 'buprenorphine-naloxone', stopsOn: null }),
    ]);

    const record = async (collectedAt: string, result: string, substances: string[] = []) => {
      const answer = await http<{ interpretation: string; sobrietySince: string | null }>(
        `${s.svc.url}/v1/drug-screens`,
        { token: group.token, json: screen(client, collectedAt, result, substances) },
      );
      expect(answer.status).toBe(201);
      return answer.body;
    };
    // Two positives within 14 days, both only for the prescribed buprenorphine: no relapse, no step-up.
    expect(await record('2025-03-04T15:00:00.000Z', 'positive', ['buprenorphine'])).toEqual(
      expect.objectContaining({ interpretation: 'expected-medication', sobrietySince: null }),
    );
    await record('2025-03-06T15:00:00.000Z', 'positive', ['buprenorphine']);
    // A negative while it is prescribed: possible diversion.
    expect((await record('2025-03-07T15:00:00.000Z', 'negative')).interpretation).toBe('possible-diversion');
    const events = await s.svc.readEvents(
      Topics.SessionsEvents,
      (all) => eventsOf(all, 'PossibleMedicationDiversion', [client]).length > 0,
    );
    expect(eventsOf(events, 'MedicationStarted', [client]).map((e) => e.data)).toEqual([
      expect.objectContaining({
        medicationId: added.body.medicationId,
        mat: true,
        expectedSubstances: ['buprenorphine'],
      }),
    ]);
    expect(eventsOf(events, 'PossibleMedicationDiversion', [client]).map((e) => e.data)).toEqual([
      expect.objectContaining({
        medicationId: added.body.medicationId,
        missingSubstances: ['buprenorphine'],
      }),
    ]);
    expect(eventsOf(events, 'StepUpRecommended', [client])).toEqual([]);
    expect(await s.count('sessions.recommendations WHERE episode_id = $1', [client.episodeId])).toBe(0);

    // Stopped on 8 March: the same positive on the 9th is use.
    const stopUrl = `${s.svc.url}/v1/medications/${added.body.medicationId}/stop`;
    expect((await http(stopUrl, { token: supervisor, json: { stopsOn: '2025-03-08' } })).status).toBe(200);
    expect((await http(stopUrl, { token: supervisor, json: { stopsOn: '2025-03-08' } })).status).toBe(409);
    expect(await record('2025-03-09T15:00:00.000Z', 'positive', ['buprenorphine'])).toEqual(
      expect.objectContaining({ interpretation: 'use', sobrietySince: '2025-03-09T15:00:00.000Z' }),
    );
    expect(await s.count(`sessions.audit_log WHERE resource_type = 'medication'`)).toBeGreaterThanOrEqual(4);
  });
});
