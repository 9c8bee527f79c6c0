import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type AnyCareEvent,
  AppointmentKind,
  type EventPayload,
  type EventTypeName,
  LevelOfCare,
  Modality,
  Population,
  SessionType,
  Topics,
  LevelOfCareChangeKind,
  encodeEvent,
  examplePayload,
} from '@stepwise/contracts';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { Clock } from '@stepwise/platform';
import { WeekCloser } from './progress/week-closer';
import { sessionsDefinition } from './sessions.definition';
import { clientAdmitted, groupAppointment, siteUpserted } from './testing/episode-events';

const SITE = randomUUID();
const OTHER_SITE = randomUUID();
const NETWORK = randomUUID();
const OCCURRENCE = randomUUID();
const OTHER_OCCURRENCE = randomUUID();
const COUNSELOR_ID = randomUUID();
const SUPERVISOR_ID = randomUUID();
const clients = Array.from({ length: 12 }, () => ({
  clientId: randomUUID(),
  episodeId: randomUUID(),
  appointmentId: randomUUID(),
}));
const stranger = { clientId: randomUUID(), episodeId: randomUUID(), appointmentId: randomUUID() };
const soloDraft = {
  clientId: randomUUID(),
  episodeId: randomUUID(),
  appointmentId: randomUUID(),
  occurrenceId: randomUUID(),
};
const soloNew = {
  clientId: randomUUID(),
  episodeId: randomUUID(),
  appointmentId: randomUUID(),
  occurrenceId: randomUUID(),
};
const notesState = { groupNoteId: '', draftNoteId: '' };
const SOAP = { subjective: 'Feels anxious', objective: 'Calm', assessment: 'Stable', plan: 'Weekly' };

// Sunday 9 March 2025, 22:00 in Chicago (daylight saving began that morning) is Monday 03:00 UTC: the session
// belongs to the ISO week of 3 March in the site's calendar, not to the week of 10 March as UTC would say.
const SESSION_STARTS = '2025-03-10T03:00:00.000Z';
const SESSION_ENDS = '2025-03-10T06:00:00.000Z';

let svc: ServiceApp;
// Sunday 23:00 in Chicago: the session has started, its week has not ended.
const now = new Date('2025-03-10T04:00:00Z');
let token: string;
let otherSiteToken: string;
let supervisorToken: string;

const publish = <T extends EventTypeName>(type: T, payload: EventPayload<T>) =>
  svc.publish(encodeEvent(type, payload));

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await svc.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${sql}`, params);
  return Number(row?.n ?? 0);
}

const sessionEvents = (events: readonly AnyCareEvent[], type: string) =>
  events.filter((e) => e.type === type);

async function admit(client: (typeof clients)[number], siteId: string, occurrenceId: string): Promise<void> {
  await svc.publish(clientAdmitted(client, siteId, COUNSELOR_ID, '2025-03-03T15:00:00.000Z'));
  await svc.publish(
    groupAppointment(client, { appointmentId: client.appointmentId, occurrenceId }, siteId, COUNSELOR_ID, {
      startsAt: SESSION_STARTS,
      endsAt: SESSION_ENDS,
    }),
  );
}

beforeAll(async () => {
  svc = await startServiceApp(sessionsDefinition, {
    label: 'sessions_flow',
    envExample: join(__dirname, '../.env.example'),
    env: { WEEK_CLOSE_INTERVAL_MS: '0' },
  });
  jest.spyOn(svc.app.get(Clock), 'now').mockImplementation(() => now);
  token = await testTokens.valid({ roles: ['counselor'], sites: [SITE] });
  otherSiteToken = await testTokens.valid({ roles: ['counselor'], sites: [OTHER_SITE] });
  supervisorToken = await testTokens.valid({
    sub: SUPERVISOR_ID,
    roles: ['clinical-supervisor'],
    sites: [SITE],
  });
  for (const siteId of [SITE, OTHER_SITE]) await svc.publish(siteUpserted(siteId, NETWORK));
  for (const client of clients) await admit(client, SITE, OCCURRENCE);
  await admit(stranger, OTHER_SITE, OTHER_OCCURRENCE);
  await waitFor(
    'projections',
    () => count(`sessions.session_records`),
    (n) => n === 13,
    60_000,
  );
  await waitFor(
    'sites',
    () => count(`sessions.sites`),
    (n) => n === 2,
  );
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

const roster = (overrides: Record<number, Record<string, unknown>> = {}) => ({
  entries: clients.map((c, i) => ({ appointmentId: c.appointmentId, status: 'present', ...overrides[i] })),
});
const ATTENDANCE = `/v1/occurrences/${OCCURRENCE}/attendance`;
const GROUP = {
  10: { status: 'late', minutesAttended: 120 },
  11: { status: 'absent', reasonCode: 'no-show' },
};

describe('attendance for a whole group', () => {
  it('records 12 clients in one call: 12 events dated in the site calendar, revision 1', async () => {
    const result = await http<{ records: { changed: boolean; sessionDate: string; revision: number }[] }>(
      `${svc.url}${ATTENDANCE}`,
      { method: 'PUT', token, json: roster(GROUP) },
    );
    expect(result.status).toBe(200);
    expect(result.body.records).toHaveLength(12);
    expect(
      result.body.records.every((r) => r.changed && r.revision === 1 && r.sessionDate === '2025-03-09'),
    ).toBe(true);
    const events = await svc.readEvents(
      Topics.SessionsEvents,
      (all) =>
        sessionEvents(all, 'SessionAttended').length + sessionEvents(all, 'SessionMissed').length >= 12,
    );
    const attended = sessionEvents(events, 'SessionAttended');
    expect(attended).toHaveLength(11);
    expect(sessionEvents(events, 'SessionMissed')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          clientId: clients[11]?.clientId,
          excused: false,
          reasonCode: 'no-show',
        }),
      }),
    ]);
    expect(new Set(attended.map((e) => (e.data as { sessionDate: string }).sessionDate))).toEqual(
      new Set(['2025-03-09']),
    );
  });

  it('closes the week of 3 March at local midnight in Chicago and flags each short client once', async () => {
    expect(await count('sessions.closed_weeks')).toBe(0);
    await svc.app.get(WeekCloser).closeDue(new Date('2025-03-10T04:59:59Z'));
    expect(await count('sessions.closed_weeks')).toBe(0);
    await svc.app.get(WeekCloser).closeDue(new Date('2025-03-10T05:00:00Z'));
    await svc.app.get(WeekCloser).closeDue(new Date('2025-03-10T06:00:00Z'));
    const events = await svc.readEvents(
      Topics.SessionsEvents,
      (all) => sessionEvents(all, 'WeeklyHoursShortfall').length >= 12,
    );
    const shortfalls = sessionEvents(events, 'WeeklyHoursShortfall')
      .map((e) => e.data as { clientId: string; siteId: string; weekStart: string; attendedMinutes: number })
      .filter((shortfall) => shortfall.siteId === SITE);
    expect(shortfalls).toHaveLength(12);
    expect(shortfalls.find((s) => s.clientId === clients[0]?.clientId)).toMatchObject({
      weekStart: '2025-03-03',
      attendedMinutes: 180,
      requiredMinutes: 540,
    });
    expect(shortfalls.find((s) => s.clientId === clients[10]?.clientId)?.attendedMinutes).toBe(120);
  });

  it('changes nothing and publishes nothing when the same roster is sent again', async () => {
    const outboxBefore = await count('sessions.outbox');
    const result = await http<{ records: { changed: boolean }[] }>(`${svc.url}${ATTENDANCE}`, {
      method: 'PUT',
      token,
      json: roster(GROUP),
    });
    expect(result.status).toBe(200);
    expect(result.body.records.some((r) => r.changed)).toBe(false);
    expect(await count('sessions.outbox')).toBe(outboxBefore);
  });

  it('publishes a correction once with revision 2 and changes the week total once', async () => {
    const corrected = roster({ ...GROUP, 10: { status: 'present' } });
    const outboxBefore = await count('sessions.outbox');
    for (let i = 0; i < 2; i += 1) {
      const result = await http(`${svc.url}${ATTENDANCE}`, { method: 'PUT', token, json: corrected });
      expect(result.status).toBe(200);
    }
    expect(await count('sessions.outbox')).toBe(outboxBefore + 1);
    const events = await svc.readEvents(Topics.SessionsEvents, (all) =>
      all.some((e) => e.type === 'SessionAttended' && (e.data as { revision: number }).revision === 2),
    );
    const revisions = events
      .filter((e) => e.type === 'SessionAttended' && e.data.clientId === clients[10]?.clientId)
      .map((e) => e.data as { revision: number; minutesAttended: number });
    expect(revisions).toEqual([
      expect.objectContaining({ revision: 1, minutesAttended: 120 }),
      expect.objectContaining({ revision: 2, minutesAttended: 180 }),
    ]);
    const [week] = await svc.dataSource.query<{ attended_minutes: number }[]>(
      `SELECT attended_minutes FROM sessions.closed_weeks WHERE episode_id = $1`,
      [clients[10]?.episodeId],
    );
    expect(week?.attended_minutes).toBe(180);
  });

  it('answers 404 to a counselor of another site, and audits the denial', async () => {
    const result = await http(`${svc.url}${ATTENDANCE}`, {
      method: 'PUT',
      token: otherSiteToken,
      json: roster(),
    });
    expectProblem(result, 404, 'not-found');
    expect(
      await count(
        `sessions.audit_log WHERE outcome = 'denied' AND resource_type = 'attendance' AND resource_id = $1`,
        [OCCURRENCE],
      ),
    ).toBe(1);
  });

  it('applies a redelivered or repeated fact once', async () => {
    const before = await count('sessions.episodes');
    const consumed = await count('sessions.inbox');
    await admit(clients[0] as (typeof clients)[number], SITE, OCCURRENCE);
    await waitFor(
      'the repeat consumed',
      () => count('sessions.inbox'),
      (n) => n >= consumed + 2,
    );
    expect(await count('sessions.episodes')).toBe(before);
    expect(await count('sessions.session_records WHERE occurrence_id = $1', [OCCURRENCE])).toBe(12);
  });
});

describeBadInput(
  {
    method: 'PUT',
    path: ATTENDANCE,
    validBody: { entries: [{ appointmentId: clients[0]?.appointmentId, status: 'present' }] },
    extraCases: [
      {
        name: 'an appointment of another occurrence',
        json: { entries: [{ appointmentId: stranger.appointmentId, status: 'present' }] },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: 'more minutes than the session lasted',
        json: {
          entries: [{ appointmentId: clients[0]?.appointmentId, status: 'late', minutesAttended: 181 }],
        },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: 'an absence without a reason',
        json: { entries: [{ appointmentId: clients[0]?.appointmentId, status: 'absent' }] },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: 'an unknown status',
        json: { entries: [{ appointmentId: clients[0]?.appointmentId, status: 'asleep' }] },
        status: 400,
        code: 'validation-failed',
      },
      {
        name: 'the same appointment twice',
        json: {
          entries: [
            { appointmentId: clients[0]?.appointmentId, status: 'present' },
            { appointmentId: clients[0]?.appointmentId, status: 'absent', reasonCode: 'illness' },
          ],
        },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: "another site's occurrence",
        path: `/v1/occurrences/${OTHER_OCCURRENCE}/attendance`,
        json: { entries: [{ appointmentId: stranger.appointmentId, status: 'present' }] },
        status: 404,
        code: 'not-found',
      },
      {
        name: 'an unknown occurrence',
        path: `/v1/occurrences/${randomUUID()}/attendance`,
        json: roster(),
        status: 404,
      },
      {
        name: 'a malformed occurrence id',
        path: '/v1/occurrences/nope/attendance',
        json: roster(),
        status: 400,
      },
    ],
  },
  () => ({
    baseUrl: svc.url,
    token,
    countWrites: async () => (await count('sessions.attendance')) + (await count('sessions.outbox')),
  }),
);

describe('drug screens', () => {
  const client = clients[0] as (typeof clients)[number];
  const screenOf = (collectedAt: string, result: string, substanceCodes: string[] = []) => ({
    episodeId: client.episodeId,
    collectedAt,
    resultedAt: new Date(new Date(collectedAt).getTime() + 7_200_000).toISOString(),
    result,
    substanceCodes,
  });

  beforeAll(async () => {
    await publish('AssessmentCompleted', {
      assessmentId: randomUUID(),
      clientId: client.clientId,
      siteId: SITE,
      dimensionRatings: [2, 1, 2, 2, 3, 2],
      recommendedLevel: LevelOfCare.IntensiveOutpatient,
      assessedBy: COUNSELOR_ID,
      assessedAt: '2025-03-02T16:00:00.000Z',
    });
    await waitFor(
      'the assessment',
      () => count('sessions.assessments'),
      (n) => n === 1,
    );
  });

  it('records a positive result, resets the sobriety date, and publishes the substances', async () => {
    const result = await http<{ sobrietySince: string; collectedOn: string }>(`${svc.url}/v1/drug-screens`, {
      token,
      json: screenOf('2025-03-05T15:00:00.000Z', 'positive', ['fentanyl', 'cocaine']),
    });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      sobrietySince: '2025-03-05T15:00:00.000Z',
      collectedOn: '2025-03-05',
    });
    const events = await svc.readEvents(Topics.SessionsEvents, (all) =>
      all.some((e) => e.type === 'DrugScreenResulted'),
    );
    expect(sessionEvents(events, 'DrugScreenResulted')[0]?.data).toMatchObject({
      clientId: client.clientId,
      result: 'positive',
      substanceCodes: ['cocaine', 'fentanyl'],
    });
  });

  it('recommends a step-up on a second positive within 14 days, with evidence and rule set, only once', async () => {
    for (const collectedAt of ['2025-03-08T15:00:00.000Z', '2025-03-09T15:00:00.000Z']) {
      const result = await http(`${svc.url}/v1/drug-screens`, {
        token,
        json: screenOf(collectedAt, 'positive', ['alcohol']),
      });
      expect(result.status).toBe(201);
    }
    const events = await svc.readEvents(
      Topics.SessionsEvents,
      (all) =>
        all.some((e) => e.type === 'StepUpRecommended') &&
        all.some((e) => e.type === 'EngagementRiskDetected'),
    );
    const stepUps = sessionEvents(events, 'StepUpRecommended');
    expect(stepUps).toHaveLength(1);
    expect(stepUps[0]?.data).toMatchObject({
      clientId: client.clientId,
      fromLevel: '2.1',
      toLevel: '2.5',
      ruleSetVersion: 'illustrative-iop-adult-v1',
      evidence: expect.objectContaining({ recentPositiveScreens: 2, dimensionRatings: [2, 1, 2, 2, 3, 2] }),
    });
    expect(sessionEvents(events, 'EngagementRiskDetected').map((e) => e.data)).toEqual([
      expect.objectContaining({ clientId: client.clientId, reason: 'positive-screens', since: '2025-03-05' }),
    ]);
    expect(await count(`sessions.outbox WHERE type LIKE '%StepUpRecommended%'`)).toBe(1);
    expect(await count(`sessions.outbox WHERE type LIKE '%EngagementRiskDetected%'`)).toBe(1);
  });

  it("answers 404 for another site's episode", async () => {
    const result = await http(`${svc.url}/v1/drug-screens`, {
      token: otherSiteToken,
      json: screenOf('2025-03-08T15:00:00.000Z', 'negative'),
    });
    expectProblem(result, 404, 'not-found');
  });
});

describeBadInput(
  {
    method: 'POST',
    path: '/v1/drug-screens',
    idempotent: true,
    enums: ['result'],
    validBody: {
      episodeId: clients[1]?.episodeId,
      collectedAt: '2025-03-07T15:00:00.000Z',
      resultedAt: '2025-03-08T15:00:00.000Z',
      result: 'negative',
      substanceCodes: [],
    },
    extraCases: [
      {
        name: 'a positive result without substances',
        json: {
          episodeId: clients[1]?.episodeId,
          collectedAt: '2025-03-07T15:00:00.000Z',
          resultedAt: '2025-03-08T15:00:00.000Z',
          result: 'positive',
          substanceCodes: [],
        },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: 'a result before the collection',
        json: {
          episodeId: clients[1]?.episodeId,
          collectedAt: '2025-03-07T15:00:00.000Z',
          resultedAt: '2025-03-07T14:00:00.000Z',
          result: 'negative',
          substanceCodes: [],
        },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: 'an unknown substance',
        json: {
          episodeId: clients[1]?.episodeId,
          collectedAt: '2025-03-07T15:00:00.000Z',
          resultedAt: '2025-03-08T15:00:00.000Z',
          result: 'positive',
          substanceCodes: ['chocolate'],
        },
        status: 400,
        code: 'validation-failed',
      },
      {
        name: "another site's episode",
        json: {
          episodeId: stranger.episodeId,
          collectedAt: '2025-03-07T15:00:00.000Z',
          resultedAt: '2025-03-08T15:00:00.000Z',
          result: 'negative',
          substanceCodes: [],
        },
        status: 404,
        code: 'not-found',
      },
    ],
  },
  () => ({
    baseUrl: svc.url,
    token,
    countWrites: async () => (await count('sessions.drug_screens')) + (await count('sessions.outbox')),
  }),
);

describe('notes', () => {
  const GOAL = randomUUID();
  const teen = { clientId: randomUUID(), episodeId: randomUUID(), appointmentId: randomUUID() };
  const TEEN_OCCURRENCE = randomUUID();
  const attendees = clients.slice(0, 11);
  let signer: string;
  let supervisor: string;

  const entry = (client: (typeof clients)[number], i: number, goals: string[] = []) => ({
    appointmentId: client.appointmentId,
    sections: {
      data: `Client ${i} practised refusal skills in role play number ${i}`,
      assessment: `Progress level ${i}`,
      plan: `Next step ${i}`,
    },
    goalIdsAddressed: goals,
  });
  const groupNote = (entries = attendees.map((c, i) => entry(c, i, i === 0 ? [GOAL] : []))) => ({
    occurrenceId: OCCURRENCE,
    kind: 'group',
    format: 'DAP',
    shared: { topic: 'Refusal skills', interventions: 'Role play of refusal skills' },
    entries,
  });

  beforeAll(async () => {
    signer = await testTokens.valid({ sub: COUNSELOR_ID, roles: ['counselor'], sites: [SITE] });
    supervisor = await testTokens.valid({
      sub: SUPERVISOR_ID,
      roles: ['clinical-supervisor'],
      sites: [SITE],
    });
    await publish('TreatmentPlanSigned', {
      planId: randomUUID(),
      episodeId: clients[0]?.episodeId ?? '',
      clientId: clients[0]?.clientId ?? '',
      siteId: SITE,
      version: 1,
      goalIds: [GOAL],
      signedBy: COUNSELOR_ID,
      signedAt: '2025-03-04T15:00:00.000Z',
      reviewDueOn: '2025-04-03',
    });
    await publish('ClientAdmitted', {
      episodeId: teen.episodeId,
      clientId: teen.clientId,
      siteId: SITE,
      programTrackId: randomUUID(),
      levelOfCare: LevelOfCare.IntensiveOutpatient,
      population: Population.Adolescent,
      admittedAt: '2025-03-03T15:00:00.000Z',
      primaryCounselorId: COUNSELOR_ID,
    });
    await publish('AppointmentScheduled', {
      appointmentId: teen.appointmentId,
      clientId: teen.clientId,
      episodeId: teen.episodeId,
      kind: AppointmentKind.Individual,
      sessionType: SessionType.IndividualCounseling,
      occurrenceId: TEEN_OCCURRENCE,
      siteId: SITE,
      startsAt: '2025-03-09T20:00:00.000Z',
      endsAt: '2025-03-09T21:00:00.000Z',
      modality: Modality.Telehealth,
      facilitatorId: COUNSELOR_ID,
    });
    await waitFor(
      'plan and teen',
      () => count('sessions.treatment_plans'),
      (n) => n === 1,
    );
    await waitFor(
      'teen appointment',
      () => count('sessions.session_records WHERE occurrence_id = $1', [TEEN_OCCURRENCE]),
      (n) => n === 1,
    );
    for (const solo of [soloDraft, soloNew]) {
      await admit(solo, SITE, solo.occurrenceId);
      await waitFor(
        'solo appointment',
        () => count('sessions.session_records WHERE appointment_id = $1', [solo.appointmentId]),
        (n) => n === 1,
      );
      const present = await http(`${svc.url}/v1/occurrences/${solo.occurrenceId}/attendance`, {
        method: 'PUT',
        token,
        json: { entries: [{ appointmentId: solo.appointmentId, status: 'present' }] },
      });
      expect(present.status).toBe(200);
    }
    const draft = await http<{ noteId: string }>(`${svc.url}/v1/notes`, {
      token,
      json: {
        occurrenceId: soloDraft.occurrenceId,
        kind: 'individual',
        format: 'SOAP',
        entries: [{ appointmentId: soloDraft.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
      },
    });
    expect(draft.status).toBe(201);
    notesState.draftNoteId = draft.body.noteId;
    const attendance = await http(`${svc.url}/v1/occurrences/${TEEN_OCCURRENCE}/attendance`, {
      method: 'PUT',
      token,
      json: { entries: [{ appointmentId: teen.appointmentId, status: 'present' }] },
    });
    expect(attendance.status).toBe(200);
  });

  it('refuses identical individual sections, a missing attendee and a goal outside the plan with 422', async () => {
    const copies = groupNote().entries.map((e, i) =>
      i === 2 ? { ...e, sections: { ...groupNote().entries[1]?.sections } } : e,
    );
    expectProblem(
      await http(`${svc.url}/v1/notes`, { token, json: groupNote(copies as never) }),
      422,
      'identical-note-sections',
    );
    expectProblem(
      await http(`${svc.url}/v1/notes`, { token, json: groupNote(groupNote().entries.slice(1)) }),
      422,
      'note-sections-mismatch',
    );
    const absent = [...groupNote().entries, entry(clients[11] as (typeof clients)[number], 11)];
    expectProblem(
      await http(`${svc.url}/v1/notes`, { token, json: groupNote(absent) }),
      422,
      'note-sections-mismatch',
    );
    const foreign = groupNote().entries.map((e, i) => (i === 1 ? { ...e, goalIdsAddressed: [GOAL] } : e));
    expectProblem(
      await http(`${svc.url}/v1/notes`, { token, json: groupNote(foreign) }),
      422,
      'unprocessable',
    );
    const missingSection = groupNote().entries.map((e, i) =>
      i === 3 ? { ...e, sections: { data: 'x', plan: 'y' } } : e,
    );
    expectProblem(
      await http(`${svc.url}/v1/notes`, { token, json: groupNote(missingSection as never) }),
      422,
      'unprocessable',
    );
    expect(await count('sessions.notes')).toBe(1);
  });

  it('stores only ciphertext, and answers plaintext to a counselor of the site and 404 to another site', async () => {
    const created = await http<{ noteId: string; status: string; entries: unknown[] }>(
      `${svc.url}/v1/notes`,
      {
        token,
        json: groupNote(),
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft' });
    expect(created.body.entries).toHaveLength(11);
    notesState.groupNoteId = created.body.noteId;
    const groupNoteId = notesState.groupNoteId;
    const raw = await svc.dataSource.query<{ text: string }[]>(
      `SELECT concat(encode(n.shared_section, 'escape'), encode(e.sections, 'escape'), encode(n.wrapped_key, 'hex')) AS text
         FROM sessions.notes n JOIN sessions.note_entries e USING (note_id)`,
    );
    expect(raw).toHaveLength(12);
    for (const row of raw) expect(row.text).not.toMatch(/refusal|role play|Progress level|Next step/i);
    expect(JSON.stringify(raw)).not.toContain(
      Buffer.from('3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGh8=', 'base64').toString('hex'),
    );

    const read = await http<{
      shared: { topic: string };
      entries: { clientId: string; sections: { data: string } }[];
    }>(`${svc.url}/v1/notes/${groupNoteId}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.shared.topic).toBe('Refusal skills');
    expect(read.body.entries.find((e) => e.clientId === clients[3]?.clientId)?.sections.data).toBe(
      'Client 3 practised refusal skills in role play number 3',
    );
    expect(
      await count(
        `sessions.audit_log WHERE action = 'read' AND resource_type = 'note' AND resource_id = $1`,
        [groupNoteId],
      ),
    ).toBe(11);
    expectProblem(
      await http(`${svc.url}/v1/notes/${groupNoteId}`, { token: otherSiteToken }),
      404,
      'not-found',
    );
    expect(
      await count(
        `sessions.audit_log WHERE outcome = 'denied' AND resource_type = 'note' AND resource_id = $1`,
        [groupNoteId],
      ),
    ).toBe(1);
  });

  it('signs: NoteSigned per attendee without text; then the note and the attendance are locked, addenda work', async () => {
    const groupNoteId = notesState.groupNoteId;
    const signed = await http<{ status: string }>(`${svc.url}/v1/notes/${groupNoteId}/signature`, {
      method: 'POST',
      token: signer,
      json: { attest: true },
    });
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('signed');
    const events = await svc.readEvents(
      Topics.SessionsEvents,
      (all) => sessionEvents(all, 'NoteSigned').length >= 11,
    );
    const noteSigned = sessionEvents(events, 'NoteSigned');
    expect(noteSigned).toHaveLength(11);
    expect(
      noteSigned.find((e) => (e.data as { clientId: string }).clientId === clients[0]?.clientId)?.data,
    ).toMatchObject({
      format: 'DAP',
      goalIdsAddressed: [GOAL],
      signedBy: COUNSELOR_ID,
    });
    expect(JSON.stringify(noteSigned)).not.toMatch(/refusal|role play/i);

    expectProblem(
      await http(`${svc.url}/v1/notes/${groupNoteId}`, {
        method: 'PUT',
        token,
        json: { ...groupNote(), occurrenceId: undefined, kind: undefined, format: undefined },
      }),
      409,
      'note-signed',
    );
    expectProblem(
      await http(`${svc.url}/v1/notes/${groupNoteId}/signature`, {
        method: 'POST',
        token: signer,
        json: { attest: true },
      }),
      409,
      'note-signed',
    );
    expectProblem(
      await http(`${svc.url}${ATTENDANCE}`, {
        method: 'PUT',
        token,
        json: roster({ 11: { status: 'excused', reasonCode: 'illness' } }),
      }),
      409,
      'attendance-locked',
    );
    const amended = await http<{ addenda: { text: string }[] }>(
      `${svc.url}/v1/notes/${groupNoteId}/addenda`,
      {
        token,
        json: { text: 'Late entry: client 4 disclosed a relapse after the session' },
      },
    );
    expect(amended.status).toBe(201);
    expect(amended.body.addenda.map((a) => a.text)).toEqual([
      'Late entry: client 4 disclosed a relapse after the session',
    ]);
    const [addendum] = await svc.dataSource.query<{ text: string }[]>(
      `SELECT encode(body, 'escape') AS text FROM sessions.note_addenda`,
    );
    expect(addendum?.text).not.toContain('relapse');
  });

  it('waits for a supervisor where the track requires co-signature, then announces the note', async () => {
    const created = await http<{ noteId: string; cosignRequired: boolean }>(`${svc.url}/v1/notes`, {
      token,
      json: {
        occurrenceId: TEEN_OCCURRENCE,
        kind: 'individual',
        format: 'SOAP',
        entries: [
          {
            appointmentId: teen.appointmentId,
            sections: {
              subjective: 'Feels anxious',
              objective: 'Calm',
              assessment: 'Stable',
              plan: 'Weekly',
            },
            goalIdsAddressed: [],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.cosignRequired).toBe(true);
    const noteId = created.body.noteId;
    const signed = await http<{ status: string }>(`${svc.url}/v1/notes/${noteId}/signature`, {
      method: 'POST',
      token: signer,
      json: { attest: true },
    });
    expect(signed.body.status).toBe('awaiting-cosign');
    expect(
      await count(`sessions.outbox WHERE type LIKE '%NoteSigned%' AND aggregateid = $1`, [teen.clientId]),
    ).toBe(0);
    expectProblem(
      await http(`${svc.url}/v1/notes/${noteId}/cosignature`, {
        method: 'POST',
        token: signer,
        json: { attest: true },
      }),
      403,
      'permission-denied',
    );
    const cosigned = await http<{ status: string; cosignedBy: string }>(
      `${svc.url}/v1/notes/${noteId}/cosignature`,
      { method: 'POST', token: supervisor, json: { attest: true } },
    );
    expect(cosigned.body).toMatchObject({ status: 'signed', cosignedBy: SUPERVISOR_ID });
    const events = await svc.readEvents(Topics.SessionsEvents, (all) =>
      all.some((e) => e.type === 'NoteSigned' && (e.data as { clientId: string }).clientId === teen.clientId),
    );
    expect(
      events.find(
        (e) => e.type === 'NoteSigned' && (e.data as { clientId: string }).clientId === teen.clientId,
      )?.data,
    ).toMatchObject({
      noteId,
      format: 'SOAP',
      signedBy: COUNSELOR_ID,
    });
  });
});

const countNoteWrites = async (): Promise<number> =>
  (await count('sessions.notes')) +
  (await count('sessions.note_entries')) +
  (await count('sessions.note_addenda')) +
  (await count(`sessions.notes WHERE status <> 'draft'`)) +
  (await count('sessions.outbox'));
/** The draft's id exists only once the app runs: the route reads it when each case is sent. */
const draftPath = (suffix: string): string => `/v1/notes/${notesState.draftNoteId || ':noteId'}${suffix}`;

describeBadInput(
  {
    method: 'POST',
    path: '/v1/notes',
    idempotent: true,
    enums: ['kind', 'format'],
    validBody: {
      occurrenceId: soloNew.occurrenceId,
      kind: 'individual',
      format: 'SOAP',
      entries: [{ appointmentId: soloNew.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
    },
    optional: ['shared'],
    extraCases: [
      {
        name: 'a section of another format',
        json: {
          occurrenceId: soloNew.occurrenceId,
          kind: 'individual',
          format: 'DAP',
          entries: [{ appointmentId: soloNew.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
        },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: 'a group note without its shared section',
        json: {
          occurrenceId: soloNew.occurrenceId,
          kind: 'group',
          format: 'SOAP',
          entries: [{ appointmentId: soloNew.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
        },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: "another site's occurrence",
        json: {
          occurrenceId: OTHER_OCCURRENCE,
          kind: 'individual',
          format: 'SOAP',
          entries: [{ appointmentId: stranger.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
        },
        status: 404,
        code: 'not-found',
      },
    ],
  },
  () => ({ baseUrl: svc.url, token, countWrites: countNoteWrites }),
);

describeBadInput(
  {
    method: 'PUT',
    get path(): string {
      return draftPath('');
    },
    validBody: {
      entries: [{ appointmentId: soloDraft.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
    },
    optional: ['shared'],
    extraCases: [
      {
        name: 'a shared section on an individual note',
        json: {
          shared: { topic: 'x', interventions: 'y' },
          entries: [{ appointmentId: soloDraft.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
        },
        status: 422,
        code: 'unprocessable',
      },
      { name: 'an unknown note', path: `/v1/notes/${randomUUID()}`, json: { entries: [] }, status: 400 },
    ],
  },
  () => ({ baseUrl: svc.url, token, countWrites: countNoteWrites }),
);

describeBadInput(
  {
    method: 'POST',
    get path(): string {
      return `/v1/notes/${notesState.groupNoteId || ':noteId'}/addenda`;
    },
    idempotent: true,
    validBody: { text: 'Addendum: the client called back the next morning' },
  },
  () => ({ baseUrl: svc.url, token, countWrites: countNoteWrites }),
);

for (const suffix of ['/signature', '/cosignature']) {
  const route = {
    method: 'POST' as const,
    get path(): string {
      return draftPath(suffix);
    },
    validBody: { attest: true },
  };
  describeBadInput(route, () => ({
    baseUrl: svc.url,
    token: suffix === '/signature' ? token : supervisorToken,
    countWrites: countNoteWrites,
  }));
}

describe('progress summary and billing view', () => {
  it("summarises a client's hours by week, screens, sobriety date and recommendations", async () => {
    const summary = await http<Record<string, unknown>>(
      `${svc.url}/v1/clients/${clients[0]?.clientId}/progress`,
      {
        token,
      },
    );
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      episodeId: clients[0]?.episodeId,
      levelOfCare: '2.1',
      admittedOn: '2025-03-03',
      sobrietySince: '2025-03-09T15:00:00.000Z',
      weeks: [
        { weekStart: '2025-03-03', attendedMinutes: 180, requiredMinutes: 540, closed: true, short: true },
      ],
      attendanceRate: 1,
      recommendations: [expect.objectContaining({ direction: 'step-up', toLevel: '2.5' })],
    });
    expect(summary.body['screens']).toHaveLength(3);
    expectProblem(
      await http(`${svc.url}/v1/clients/${clients[0]?.clientId}/progress`, { token: otherSiteToken }),
      404,
      'not-found',
    );
  });

  it('lists billable IOP days per client for a week, a page at a time, to billing staff only', async () => {
    const billing = await testTokens.valid({ roles: ['billing'], sites: [SITE] });
    const items: { clientId: string; billableDays: string[]; attendedMinutes: number }[] = [];
    let cursor: string | null = null;
    do {
      const query = `weekStart=2025-03-03&limit=5${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page: { status: number; body: { items: typeof items; nextCursor: string | null } } = await http(
        `${svc.url}/v1/sites/${SITE}/billable-days?${query}`,
        { token: billing },
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(items).toHaveLength(15);
    expect(new Set(items.map((i) => i.clientId)).size).toBe(15);
    expect(items.find((i) => i.clientId === clients[10]?.clientId)).toMatchObject({
      billableDays: ['2025-03-09'],
      attendedMinutes: 180,
    });
    expect(items.find((i) => i.clientId === clients[11]?.clientId)).toMatchObject({ billableDays: [] });
    expectProblem(
      await http(`${svc.url}/v1/sites/${SITE}/billable-days?weekStart=2025-03-03`, { token }),
      403,
      'permission-denied',
    );
    expectProblem(
      await http(`${svc.url}/v1/sites/${SITE}/billable-days?weekStart=2025-03-04`, { token: billing }),
      400,
      'validation-failed',
    );
    expectProblem(
      await http(`${svc.url}/v1/sites/${OTHER_SITE}/billable-days?weekStart=2025-03-03`, { token: billing }),
      404,
      'not-found',
    );
  });
});

describe('projections of the other services facts', () => {
  it('follows reschedules, cancellations, plan reviews, level changes and discharge', async () => {
    const client = { clientId: randomUUID(), episodeId: randomUUID(), appointmentId: randomUUID() };
    const occurrenceId = randomUUID();
    await admit(client, SITE, occurrenceId);
    await publish('AppointmentRescheduled', {
      appointmentId: client.appointmentId,
      clientId: client.clientId,
      episodeId: client.episodeId,
      siteId: SITE,
      occurrenceId,
      startsAt: '2025-03-09T15:00:00.000Z',
      endsAt: '2025-03-09T16:00:00.000Z',
      reason: examplePayload('AppointmentRescheduled').reason,
    });
    await publish('AppointmentCancelled', {
      appointmentId: client.appointmentId,
      clientId: client.clientId,
      episodeId: client.episodeId,
      siteId: SITE,
      reason: examplePayload('AppointmentCancelled').reason,
      cancelledAt: '2025-03-08T12:00:00.000Z',
    });
    await publish('TreatmentPlanReviewed', {
      planId: randomUUID(),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      version: 1,
      goalsMet: 4,
      goalsTotal: 5,
      reviewedAt: '2025-03-08T12:00:00.000Z',
      reviewedBy: COUNSELOR_ID,
    });
    await publish('LevelOfCareChanged', {
      ...examplePayload('LevelOfCareChanged'),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      kind: LevelOfCareChangeKind.Clinical,
      fromLevel: LevelOfCare.IntensiveOutpatient,
      toLevel: LevelOfCare.PartialHospitalization,
      effectiveAt: '2025-03-09T12:00:00.000Z',
    });
    await publish('ClientDischarged', {
      ...examplePayload('ClientDischarged'),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      dischargedAt: '2025-03-09T18:00:00.000Z',
    });
    const episode = await waitFor(
      'the episode discharged',
      () =>
        svc.dataSource.query<{ level_of_care: string; discharged_at: Date | null }[]>(
          `SELECT level_of_care, discharged_at FROM sessions.episodes WHERE episode_id = $1`,
          [client.episodeId],
        ),
      (rows) => rows[0]?.discharged_at != null,
    );
    expect(episode[0]?.level_of_care).toBe('2.5');
    const [record] = await svc.dataSource.query<{ starts_at: Date; cancelled_at: Date | null }[]>(
      `SELECT starts_at, cancelled_at FROM sessions.session_records WHERE appointment_id = $1`,
      [client.appointmentId],
    );
    expect(record?.starts_at.toISOString()).toBe('2025-03-09T15:00:00.000Z');
    expect(record?.cancelled_at).not.toBeNull();
    expect(await count('sessions.plan_reviews WHERE episode_id = $1', [client.episodeId])).toBe(1);
    const refused = await http(`${svc.url}/v1/occurrences/${occurrenceId}/attendance`, {
      method: 'PUT',
      token,
      json: { entries: [{ appointmentId: client.appointmentId, status: 'present' }] },
    });
    expectProblem(refused, 422, 'unprocessable');
  });
});
