import { randomUUID } from 'node:crypto';
import { AppointmentKind, LevelOfCare, Modality, Population, SessionType, Topics } from '@stepwise/contracts';
import { describeBadInput, expectProblem, http, testTokens, waitFor } from '@stepwise/testing';
import {
  COUNSELOR_ID,
  type Group,
  LATE_AND_NO_SHOW,
  SUPERVISOR_ID,
  type Seat,
  type Sessions,
  aGroup,
  aSeat,
  eventsOf,
  rosterOf,
  useSessions,
} from '../testing/sessions-app';

const sessions = useSessions('sessions_notes');
const SOAP = { subjective: 'Feels anxious', objective: 'Calm', assessment: 'Stable', plan: 'Weekly' };

const entry = (client: Seat, i: number, goals: string[] = []) => ({
  appointmentId: client.appointmentId,
  sections: {
    data: `Client ${i} practised refusal skills in role play number ${i}`,
    assessment: `Progress level ${i}`,
    plan: `Next step ${i}`,
  },
  goalIdsAddressed: goals,
});

/**
 * A group whose attendance is recorded (clients 0–10 attended, 11 a no-show) and whose client 0 has a signed
 * plan with GOAL; the group note of its attendees is what the tests write.
 */
interface NotedGroup {
  readonly group: Group;
  readonly goal: string;
  readonly attendees: Seat[];
  readonly signer: string;
  groupNote(
    entries?: ReturnType<typeof entry>[],
  ): Record<string, unknown> & { entries: ReturnType<typeof entry>[] };
}

async function aNotedGroup(s: Sessions): Promise<NotedGroup> {
  const group = await aGroup(s);
  const goal = randomUUID();
  const client = group.clients[0] as Seat;
  await s.publish('TreatmentPlanSigned', {
    planId: randomUUID(),
    episodeId: client.episodeId,
    clientId: client.clientId,
    siteId: group.site,
    version: 1,
    goalIds: [goal],
    signedBy: COUNSELOR_ID,
    signedAt: '2025-03-04T15:00:00.000Z',
    reviewDueOn: '2025-04-03',
  });
  await waitFor(
    'the plan',
    () => s.count('sessions.treatment_plans WHERE episode_id = $1', [client.episodeId]),
    (n) => n === 1,
  );
  const recorded = await http(`${s.svc.url}/v1/occurrences/${group.occurrence}/attendance`, {
    method: 'PUT',
    token: group.token,
    json: rosterOf(group.clients, LATE_AND_NO_SHOW),
  });
  expect(recorded.status).toBe(200);
  await s.evaluated();
  const attendees = group.clients.slice(0, 11);
  return {
    group,
    goal,
    attendees,
    signer: await s.counselor(group.site, COUNSELOR_ID),
    groupNote: (entries = attendees.map((c, i) => entry(c, i, i === 0 ? [goal] : []))) => ({
      occurrenceId: group.occurrence,
      kind: 'group',
      format: 'DAP',
      shared: { topic: 'Refusal skills', interventions: 'Role play of refusal skills' },
      entries,
    }),
  };
}

async function created(s: Sessions, noted: NotedGroup): Promise<string> {
  const note = await http<{ noteId: string }>(`${s.svc.url}/v1/notes`, {
    token: noted.group.token,
    json: noted.groupNote(),
  });
  expect(note.status).toBe(201);
  return note.body.noteId;
}

describe('notes', () => {
  it('refuses identical individual sections, a missing attendee and a goal outside the plan with 422', async () => {
    const s = sessions();
    const noted = await aNotedGroup(s);
    const { token, clients } = noted.group;
    const copies = noted
      .groupNote()
      .entries.map((e, i) =>
        i === 2 ? { ...e, sections: { ...noted.groupNote().entries[1]?.sections } } : e,
      );
    expectProblem(
      await http(`${s.svc.url}/v1/notes`, { token, json: noted.groupNote(copies as never) }),
      422,
      'identical-note-sections',
    );
    expectProblem(
      await http(`${s.svc.url}/v1/notes`, {
        token,
        json: noted.groupNote(noted.groupNote().entries.slice(1)),
      }),
      422,
      'note-sections-mismatch',
    );
    const absent = [...noted.groupNote().entries, entry(clients[11] as Seat, 11)];
    expectProblem(
      await http(`${s.svc.url}/v1/notes`, { token, json: noted.groupNote(absent) }),
      422,
      'note-sections-mismatch',
    );
    const foreign = noted
      .groupNote()
      .entries.map((e, i) => (i === 1 ? { ...e, goalIdsAddressed: [noted.goal] } : e));
    expectProblem(
      await http(`${s.svc.url}/v1/notes`, { token, json: noted.groupNote(foreign) }),
      422,
      'unprocessable',
    );
    const missingSection = noted
      .groupNote()
      .entries.map((e, i) => (i === 3 ? { ...e, sections: { data: 'x', plan: 'y' } } : e));
    expectProblem(
      await http(`${s.svc.url}/v1/notes`, { token, json: noted.groupNote(missingSection as never) }),
      422,
      'unprocessable',
    );
    expect(await s.count('sessions.notes WHERE occurrence_id = $1', [noted.group.occurrence])).toBe(0);
  });

  it('stores only ciphertext, and answers plaintext to a counselor of the site and 404 to another site', async () => {
    const s = sessions();
    const noted = await aNotedGroup(s);
    const { token, clients } = noted.group;
    const createdNote = await http<{ noteId: string; status: string; entries: unknown[] }>(
      `${s.svc.url}/v1/notes`,
      { token, json: noted.groupNote() },
    );
    expect(createdNote.status).toBe(201);
    expect(createdNote.body).toMatchObject({ status: 'draft' });
    expect(createdNote.body.entries).toHaveLength(11);
    const groupNoteId = createdNote.body.noteId;
    const raw = await s.svc.dataSource.query<{ text: string }[]>(
      `SELECT concat(encode(n.shared_section, 'escape'), encode(e.sections, 'escape'), encode(n.wrapped_key, 'hex')) AS text
         FROM sessions.notes n JOIN sessions.note_entries e USING (note_id) WHERE n.note_id = $1`,
      [groupNoteId],
    );
    expect(raw).toHaveLength(11);
    for (const row of raw) expect(row.text).not.toMatch(/refusal|role play|Progress level|Next step/i);
    expect(JSON.stringify(raw)).not.toContain(
      Buffer.from('3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGh8=', 'base64').toString('hex'),
    );

    const read = await http<{
      shared: { topic: string };
      entries: { clientId: string; sections: { data: string } }[];
    }>(`${s.svc.url}/v1/notes/${groupNoteId}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.shared.topic).toBe('Refusal skills');
    expect(read.body.entries.find((e) => e.clientId === clients[3]?.clientId)?.sections.data).toBe(
      'Client 3 practised refusal skills in role play number 3',
    );
    expect(
      await s.count(
        `sessions.audit_log WHERE action = 'read' AND resource_type = 'note' AND resource_id = $1`,
        [groupNoteId],
      ),
    ).toBe(11);
    const otherSiteToken = await testTokens.valid({ roles: ['counselor'], sites: [randomUUID()] });
    expectProblem(
      await http(`${s.svc.url}/v1/notes/${groupNoteId}`, { token: otherSiteToken }),
      404,
      'not-found',
    );
    expect(
      await s.count(
        `sessions.audit_log WHERE outcome = 'denied' AND resource_type = 'note' AND resource_id = $1`,
        [groupNoteId],
      ),
    ).toBe(1);
  });

  it('signs over the attendance as committed: a correction in flight is waited for, and what it changed is checked', async () => {
    const s = sessions();
    const noted = await aNotedGroup(s);
    const groupNoteId = await created(s, noted);
    const absentee = noted.attendees[3] as Seat;
    // A correction in flight, as the attendance request holds it: the roster's rows locked, client 3 marked
    // absent, not yet committed.
    const correction = s.svc.dataSource.createQueryRunner();
    await correction.connect();
    try {
      await correction.startTransaction();
      await correction.query(
        `SELECT 1 FROM sessions.session_records WHERE occurrence_id = $1 ORDER BY appointment_id FOR UPDATE`,
        [noted.group.occurrence],
      );
      await correction.query(
        `UPDATE sessions.attendance SET outcome = 'absent', minutes_attended = 0, reason_code = 'illness',
           revision = revision + 1 WHERE appointment_id = $1`,
        [absentee.appointmentId],
      );
      const signing = http(`${s.svc.url}/v1/notes/${groupNoteId}/signature`, {
        method: 'POST',
        token: noted.signer,
        json: { attest: true },
      });
      await waitFor(
        'the signature waiting for the roster',
        () =>
          s.svc.dataSource.query<unknown[]>(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                AND wait_event_type = 'Lock' AND query LIKE '%FOR SHARE%'`,
          ),
        (waiting) => waiting.length > 0,
      );
      await correction.commitTransaction();
      // It read the committed attendance: client 3 no longer attended, so the note's sections do not match.
      expectProblem(await signing, 422, 'note-sections-mismatch');
    } finally {
      if (correction.isTransactionActive) await correction.rollbackTransaction();
      await correction.release();
    }
  });

  it('signs: NoteSigned per attendee without text; then the note and the attendance are locked, addenda work', async () => {
    const s = sessions();
    const noted = await aNotedGroup(s);
    const { token, clients } = noted.group;
    const groupNoteId = await created(s, noted);
    const signed = await http<{ status: string }>(`${s.svc.url}/v1/notes/${groupNoteId}/signature`, {
      method: 'POST',
      token: noted.signer,
      json: { attest: true },
    });
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('signed');
    const events = await s.svc.readEvents(
      Topics.SessionsEvents,
      (all) => eventsOf(all, 'NoteSigned', clients).length >= 11,
    );
    const noteSigned = eventsOf(events, 'NoteSigned', clients);
    expect(noteSigned).toHaveLength(11);
    expect(
      noteSigned.find((e) => (e.data as { clientId: string }).clientId === clients[0]?.clientId)?.data,
    ).toMatchObject({
      format: 'DAP',
      goalIdsAddressed: [noted.goal],
      signedBy: COUNSELOR_ID,
    });
    expect(JSON.stringify(noteSigned)).not.toMatch(/refusal|role play/i);

    expectProblem(
      await http(`${s.svc.url}/v1/notes/${groupNoteId}`, {
        method: 'PUT',
        token,
        json: { ...noted.groupNote(), occurrenceId: undefined, kind: undefined, format: undefined },
      }),
      409,
      'note-signed',
    );
    expectProblem(
      await http(`${s.svc.url}/v1/notes/${groupNoteId}/signature`, {
        method: 'POST',
        token: noted.signer,
        json: { attest: true },
      }),
      409,
      'note-signed',
    );
    expectProblem(
      await http(`${s.svc.url}/v1/occurrences/${noted.group.occurrence}/attendance`, {
        method: 'PUT',
        token,
        json: rosterOf(clients, { 11: { status: 'excused', reasonCode: 'illness' } }),
      }),
      409,
      'attendance-locked',
    );
    const amended = await http<{ addenda: { text: string }[] }>(
      `${s.svc.url}/v1/notes/${groupNoteId}/addenda`,
      {
        token,
        json: { text: 'Late entry: client 4 disclosed a relapse after the session' },
      },
    );
    expect(amended.status).toBe(201);
    expect(amended.body.addenda.map((a) => a.text)).toEqual([
      'Late entry: client 4 disclosed a relapse after the session',
    ]);
    const [addendum] = await s.svc.dataSource.query<{ text: string }[]>(
      `SELECT encode(body, 'escape') AS text FROM sessions.note_addenda WHERE note_id = $1`,
      [groupNoteId],
    );
    expect(addendum?.text).not.toContain('relapse');
  });

  it('waits for a supervisor where the track requires co-signature, then announces the note', async () => {
    const s = sessions();
    const site = await s.site();
    const token = await s.counselor(site);
    const signer = await s.counselor(site, COUNSELOR_ID);
    const supervisor = await testTokens.valid({
      sub: SUPERVISOR_ID,
      roles: ['clinical-supervisor'],
      sites: [site],
    });
    const teen = aSeat();
    const TEEN_OCCURRENCE = randomUUID();
    await s.publish('ClientAdmitted', {
      episodeId: teen.episodeId,
      clientId: teen.clientId,
      siteId: site,
      programTrackId: randomUUID(),
      levelOfCare: LevelOfCare.IntensiveOutpatient,
      population: Population.Adolescent,
      admittedAt: '2025-03-03T15:00:00.000Z',
      primaryCounselorId: COUNSELOR_ID,
    });
    await s.publish('AppointmentScheduled', {
      appointmentId: teen.appointmentId,
      clientId: teen.clientId,
      episodeId: teen.episodeId,
      kind: AppointmentKind.Individual,
      sessionType: SessionType.IndividualCounseling,
      occurrenceId: TEEN_OCCURRENCE,
      siteId: site,
      startsAt: '2025-03-09T20:00:00.000Z',
      endsAt: '2025-03-09T21:00:00.000Z',
      modality: Modality.Telehealth,
      facilitatorId: COUNSELOR_ID,
    });
    await waitFor(
      'teen appointment',
      () => s.count('sessions.session_records WHERE occurrence_id = $1', [TEEN_OCCURRENCE]),
      (n) => n === 1,
    );
    const attendance = await http(`${s.svc.url}/v1/occurrences/${TEEN_OCCURRENCE}/attendance`, {
      method: 'PUT',
      token,
      json: { entries: [{ appointmentId: teen.appointmentId, status: 'present' }] },
    });
    expect(attendance.status).toBe(200);
    await s.evaluated();

    const createdNote = await http<{ noteId: string; cosignRequired: boolean }>(`${s.svc.url}/v1/notes`, {
      token,
      json: {
        occurrenceId: TEEN_OCCURRENCE,
        kind: 'individual',
        format: 'SOAP',
        entries: [{ appointmentId: teen.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
      },
    });
    expect(createdNote.status).toBe(201);
    expect(createdNote.body.cosignRequired).toBe(true);
    const noteId = createdNote.body.noteId;
    const signed = await http<{ status: string }>(`${s.svc.url}/v1/notes/${noteId}/signature`, {
      method: 'POST',
      token: signer,
      json: { attest: true },
    });
    expect(signed.body.status).toBe('awaiting-cosign');
    expect(
      await s.count(`sessions.outbox WHERE type LIKE '%NoteSigned%' AND aggregateid = $1`, [teen.clientId]),
    ).toBe(0);
    expectProblem(
      await http(`${s.svc.url}/v1/notes/${noteId}/cosignature`, {
        method: 'POST',
        token: signer,
        json: { attest: true },
      }),
      403,
      'permission-denied',
    );
    const cosigned = await http<{ status: string; cosignedBy: string }>(
      `${s.svc.url}/v1/notes/${noteId}/cosignature`,
      { method: 'POST', token: supervisor, json: { attest: true } },
    );
    expect(cosigned.body).toMatchObject({ status: 'signed', cosignedBy: SUPERVISOR_ID });
    const events = await s.svc.readEvents(Topics.SessionsEvents, (all) =>
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

describe('note input', () => {
  // Ids fixed when the cases are declared; the sessions, the draft and the signed note are made before they run.
  const soloDraft = { ...aSeat(), occurrenceId: randomUUID() };
  const soloNew = { ...aSeat(), occurrenceId: randomUUID() };
  const soloSigned = { ...aSeat(), occurrenceId: randomUUID() };
  const stranger = aSeat();
  const OTHER_OCCURRENCE = randomUUID();
  const state = { token: '', supervisorToken: '', draftNoteId: '', signedNoteId: '' };

  const individualNote = (solo: typeof soloDraft) => ({
    occurrenceId: solo.occurrenceId,
    kind: 'individual',
    format: 'SOAP',
    entries: [{ appointmentId: solo.appointmentId, sections: SOAP, goalIdsAddressed: [] }],
  });

  beforeAll(async () => {
    const s = sessions();
    const site = await s.site();
    state.token = await s.counselor(site);
    state.supervisorToken = await testTokens.valid({
      sub: SUPERVISOR_ID,
      roles: ['clinical-supervisor'],
      sites: [site],
    });
    await s.admit(stranger, await s.site(), OTHER_OCCURRENCE);
    for (const solo of [soloDraft, soloNew, soloSigned]) {
      await s.admit(solo, site, solo.occurrenceId);
      await waitFor(
        'solo appointment',
        () => s.count('sessions.session_records WHERE appointment_id = $1', [solo.appointmentId]),
        (n) => n === 1,
      );
      const present = await http(`${s.svc.url}/v1/occurrences/${solo.occurrenceId}/attendance`, {
        method: 'PUT',
        token: state.token,
        json: { entries: [{ appointmentId: solo.appointmentId, status: 'present' }] },
      });
      expect(present.status).toBe(200);
      await s.evaluated();
    }
    const draft = await http<{ noteId: string }>(`${s.svc.url}/v1/notes`, {
      token: state.token,
      json: individualNote(soloDraft),
    });
    expect(draft.status).toBe(201);
    state.draftNoteId = draft.body.noteId;
    const toSign = await http<{ noteId: string }>(`${s.svc.url}/v1/notes`, {
      token: state.token,
      json: individualNote(soloSigned),
    });
    const signed = await http(`${s.svc.url}/v1/notes/${toSign.body.noteId}/signature`, {
      method: 'POST',
      token: await s.counselor(site, COUNSELOR_ID),
      json: { attest: true },
    });
    expect(signed.status).toBe(200);
    state.signedNoteId = toSign.body.noteId;
    await waitFor(
      'the stranger',
      () => s.count('sessions.session_records WHERE occurrence_id = $1', [OTHER_OCCURRENCE]),
      (n) => n === 1,
    );
  }, 120_000);

  const countNoteWrites = async (): Promise<number> =>
    (await sessions().count('sessions.notes')) +
    (await sessions().count('sessions.note_entries')) +
    (await sessions().count('sessions.note_addenda')) +
    (await sessions().count(`sessions.notes WHERE status <> 'draft'`)) +
    (await sessions().count('sessions.outbox'));
  /** The notes' ids exist only once the app runs: the routes read them when each case is sent. */
  const draftPath = (suffix: string): string => `/v1/notes/${state.draftNoteId || ':noteId'}${suffix}`;
  const context = () => ({ baseUrl: sessions().svc.url, token: state.token, countWrites: countNoteWrites });

  describeBadInput(
    {
      method: 'POST',
      path: '/v1/notes',
      idempotent: true,
      enums: ['kind', 'format'],
      validBody: individualNote(soloNew),
      optional: ['shared'],
      extraCases: [
        {
          name: 'a section of another format',
          json: { ...individualNote(soloNew), format: 'DAP' },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'a group note without its shared section',
          json: { ...individualNote(soloNew), kind: 'group' },
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
    context,
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
    context,
  );

  describeBadInput(
    {
      method: 'POST',
      get path(): string {
        return `/v1/notes/${state.signedNoteId || ':noteId'}/addenda`;
      },
      idempotent: true,
      validBody: { text: 'Addendum: the client called back the next morning' },
    },
    context,
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
      ...context(),
      token: suffix === '/signature' ? state.token : state.supervisorToken,
    }));
  }
});
