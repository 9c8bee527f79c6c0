import { randomUUID } from 'node:crypto';
import { LevelOfCare } from '@stepwise/contracts';
import { expectProblem, http, testTokens, waitFor } from '@stepwise/testing';
import { WeekCloser } from '../progress/week-closer';
import { groupAppointment } from '../testing/episode-events';
import { COUNSELOR_ID, type Seat, aSeat, useSessions } from '../testing/sessions-app';

/*
 * Billing on the real service (Postgres, Kafka): attendance recorded over HTTP, authorizations and diagnoses
 * arriving from intake on the topic, the export reconciled against the attendance table itself.
 */

const sessions = useSessions('sessions_billing');

type Json = Record<string, unknown>;

// Monday 3 to Wednesday 5 March 2025, 09:00–12:00 in Chicago: three 3-hour days in one ISO week.
const DAYS = ['2025-03-03', '2025-03-04', '2025-03-05'] as const;
const startOf = (day: string): string => `${day}T15:00:00.000Z`;
const endOf = (day: string): string => `${day}T18:00:00.000Z`;

describe('billing', () => {
  it('exports one line per billable day that reconciles with attendance, warns once per authorization', async () => {
    const s = sessions();
    const site = await s.site();
    const token = await s.counselor(site);
    // full: 3 days of 3 h; short: 2 days of 3 h and one of 179 minutes; capped: 3 days on 2 authorized units.
    const [full, short, capped] = [aSeat(), aSeat(), aSeat()] as [Seat, Seat, Seat];
    const occurrences = DAYS.map(() => randomUUID());
    const seats = new Map<string, string>();
    for (const client of [full, short, capped]) {
      await s.admit(client, site, randomUUID());
      for (const [i, day] of DAYS.entries()) {
        const appointmentId = randomUUID();
        seats.set(`${client.clientId}|${day}`, appointmentId);
        await s.svc.publish(
          groupAppointment(
            client,
            { appointmentId, occurrenceId: occurrences[i] as string },
            site,
            COUNSELOR_ID,
            {
              startsAt: startOf(day),
              endsAt: endOf(day),
            },
          ),
        );
      }
    }
    await waitFor(
      'the sessions projected',
      () => s.count('sessions.session_records WHERE site_id = $1', [site]),
      (n) => n === 12,
      60_000,
    );
    await s.publish('PayerAuthorizationRecorded', {
      authorizationId: randomUUID(),
      episodeId: full.episodeId,
      clientId: full.clientId,
      siteId: site,
      payerCode: 'state-medicaid',
      authorizationNumber: 'PA-FULL',
      levelOfCare: LevelOfCare.IntensiveOutpatient,
      units: 20,
      startsOn: '2025-03-03',
      // The service's clock is Sunday 9 March in Chicago: 5 days before the last day, inside the 7-day window.
      endsOn: '2025-03-14',
      recordedAt: '2025-03-03T16:00:00.000Z',
    });
    await s.publish('EpisodeDiagnosesChanged', {
      episodeId: full.episodeId,
      clientId: full.clientId,
      siteId: site,
      revision: 1,
      diagnosisCodes: ['F10.20', 'F32.1'],
      effectiveOn: '2025-03-03',
      recordedBy: COUNSELOR_ID,
      recordedAt: '2025-03-03T16:00:00.000Z',
    });
    await s.publish('PayerAuthorizationRecorded', {
      authorizationId: randomUUID(),
      episodeId: capped.episodeId,
      clientId: capped.clientId,
      siteId: site,
      payerCode: 'state-medicaid',
      authorizationNumber: 'PA-CAPPED',
      levelOfCare: LevelOfCare.IntensiveOutpatient,
      units: 2,
      startsOn: '2025-03-03',
      endsOn: '2025-04-30',
      recordedAt: '2025-03-03T16:00:00.000Z',
    });
    await waitFor(
      'the authorizations and diagnoses projected',
      async () =>
        (await s.count('sessions.payer_authorizations WHERE site_id = $1', [site])) +
        (await s.count('sessions.episode_diagnoses WHERE episode_id = $1', [full.episodeId])),
      (n) => n === 3,
    );
    for (const [i, day] of DAYS.entries()) {
      const entries = [full, short, capped].map((client) => ({
        appointmentId: seats.get(`${client.clientId}|${day}`),
        ...(client === short && i === 2 ? { status: 'late', minutesAttended: 179 } : { status: 'present' }),
      }));
      const recorded = await http(`${s.svc.url}/v1/occurrences/${occurrences[i] as string}/attendance`, {
        method: 'PUT',
        token,
        json: { entries },
      });
      expect(recorded.status).toBe(200);
    }
    await s.evaluated();

    const billing = await testTokens.valid({ roles: ['billing'], sites: [site] });
    const exported = await http<Json>(
      `${s.svc.url}/v1/sites/${site}/billing-export?from=2025-03-03&to=2025-03-09`,
      { token: billing },
    );
    expect(exported.status).toBe(200);
    const lines = exported.body['lines'] as Json[];
    const of = (client: Seat) => lines.filter((line) => line['clientId'] === client.clientId);
    expect(
      of(full).map((l) => [l['date'], l['code'], l['units'], l['diagnosisPointers'], l['holds']]),
    ).toEqual(DAYS.map((day) => [day, 'H0015', 1, 'AB', []]));
    expect(of(full)[0]).toMatchObject({
      renderingStaffId: COUNSELOR_ID,
      diagnosisCodes: ['F10.20', 'F32.1'],
      authorizationNumber: 'PA-FULL',
      payerCode: 'state-medicaid',
      ruleSetId: 'illustrative-billing@1',
    });
    // The last unit goes on Tuesday; Wednesday is billable but not authorized.
    expect(of(capped).map((l) => l['authorizationNumber'])).toEqual(['PA-CAPPED', 'PA-CAPPED', null]);
    expect(of(short)).toEqual([]);
    expect(
      (exported.body['unbilled'] as Json[])
        .filter((d) => d['clientId'] === short.clientId)
        .map((d) => [d['date'], d['reason']]),
    ).toEqual([
      ['2025-03-03', 'too-few-days-in-week'],
      ['2025-03-04', 'too-few-days-in-week'],
      ['2025-03-05', 'under-day-minimum'],
    ]);

    // Reconciled against the attendance table itself, not against what the export read.
    const [attendance] = await s.svc.dataSource.query<{ records: string; days: string; minutes: string }[]>(
      `SELECT count(*) AS records,
              count(DISTINCT (episode_id, session_date)) FILTER (WHERE outcome IN ('present', 'late', 'left-early')
                AND minutes_attended > 0) AS days,
              coalesce(sum(minutes_attended) FILTER (WHERE outcome IN ('present', 'late', 'left-early')), 0) AS minutes
         FROM sessions.attendance WHERE site_id = $1 AND session_date BETWEEN '2025-03-03' AND '2025-03-09'`,
      [site],
    );
    expect(exported.body['reconciliation']).toEqual({
      attendanceRecords: Number(attendance?.records),
      attendedDays: Number(attendance?.days),
      attendedMinutes: Number(attendance?.minutes),
      billedDays: 6,
      billedMinutes: 6 * 180,
      billedUnits: 6,
      unbilledDays: 3,
      unbilledMinutes: 180 + 180 + 179,
    });
    expect(Number(attendance?.days)).toBe(9);

    const csv = await fetch(
      `${s.svc.url}/v1/sites/${site}/billing-export.csv?from=2025-03-03&to=2025-03-09`,
      {
        headers: { authorization: `Bearer ${billing}` },
      },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await csv.text()).trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^client_id,episode_id,date,code,units,diagnosis_pointers,/);
    expect(rows).toHaveLength(7);

    // Audited per client (each export), as PHI.
    expect(
      await s.count(
        `sessions.audit_log WHERE action = 'export' AND resource_type = 'billing' AND site_id = $1 AND client_id = $2`,
        [site, full.clientId],
      ),
    ).toBe(2);

    // Warned once each: units low for the capped authorization, expiring for the full one — not again when the
    // episodes are evaluated again.
    const warnings = async (type: string, clientId: string): Promise<number> =>
      s.count(`sessions.outbox WHERE type = $1 AND payload->>'clientId' = $2`, [
        `care.sessions.${type}.v1`,
        clientId,
      ]);
    expect(await warnings('AuthorizationUnitsLow', capped.clientId)).toBe(1);
    expect(await warnings('AuthorizationExpiring', full.clientId)).toBe(1);
    expect(await warnings('AuthorizationUnitsLow', full.clientId)).toBe(0);
    await s.svc.app.get(WeekCloser).closeDue(new Date('2025-03-12T06:00:00Z'));
    expect(await warnings('AuthorizationUnitsLow', capped.clientId)).toBe(1);
    expect(await warnings('AuthorizationExpiring', full.clientId)).toBe(1);
    const [low] = await s.svc.dataSource.query<{ payload: Json }[]>(
      `SELECT payload FROM sessions.outbox WHERE type = 'care.sessions.AuthorizationUnitsLow.v1'
          AND payload->>'clientId' = $1`,
      [capped.clientId],
    );
    // Two units are already at the threshold of 3: billing staff heard of it when it was recorded.
    expect(low?.payload).toMatchObject({
      authorizationNumber: 'PA-CAPPED',
      units: 2,
      usedUnits: 0,
      remainingUnits: 2,
      warnUnitsRemaining: 3,
      ruleSetId: 'illustrative-billing@1',
    });

    // Who may export: billing staff of the site only; a bad period changes nothing.
    expectProblem(
      await http(`${s.svc.url}/v1/sites/${site}/billing-export?from=2025-03-03&to=2025-03-09`, { token }),
      403,
      'permission-denied',
    );
    expectProblem(
      await http(`${s.svc.url}/v1/sites/${randomUUID()}/billing-export?from=2025-03-03&to=2025-03-09`, {
        token: billing,
      }),
      404,
      'not-found',
    );
    for (const query of ['from=2025-03-09&to=2025-03-03', 'from=2025-01-01&to=2025-04-03']) {
      expectProblem(
        await http(`${s.svc.url}/v1/sites/${site}/billing-export?${query}`, { token: billing }),
        422,
        'unprocessable',
      );
    }
    for (const query of ['from=2025-02-30&to=2025-03-03', 'to=2025-03-03', 'from=x&to=2025-03-03']) {
      expectProblem(
        await http(`${s.svc.url}/v1/sites/${site}/billing-export?${query}`, { token: billing }),
        400,
        'validation-failed',
      );
    }
  });
});
