import { MissedSessionReason } from '@stepwise/contracts';
import { sampleValue } from '@stepwise/testing';
import { attendanceUseCases } from '../testing/attendance';
import { OTHER_SITE_ID, SITE_ID, clinician, problemOf } from '../testing/doubles';

describe('RecordAttendance', () => {
  it('records the roster and publishes SessionAttended / SessionMissed per client, dated locally', async () => {
    const t = attendanceUseCases();
    const [present, absent] = t.occurrence();

    const result = await t.record.record(clinician(), present.occurrence_id, [
      { appointmentId: present.appointment_id, status: 'present' },
      { appointmentId: absent.appointment_id, status: 'absent', reasonCode: MissedSessionReason.Illness },
    ]);

    expect(result.records.map((r) => [r.status, r.minutesAttended, r.revision, r.changed])).toEqual([
      ['present', 90, 1, true],
      ['absent', 0, 1, true],
    ]);
    expect(t.uow.payloads('SessionAttended')).toEqual([
      expect.objectContaining({
        clientId: present.client_id,
        status: 'present',
        minutesAttended: 90,
        sessionDate: '2025-03-03',
        revision: 1,
      }),
    ]);
    expect(t.uow.payloads('SessionMissed')).toEqual([
      expect.objectContaining({ clientId: absent.client_id, excused: false, reasonCode: 'illness' }),
    ]);
    expect(t.evaluation.episodes.sort()).toEqual([present.episode_id, absent.episode_id].sort());
    expect(t.audit.outcomes()).toEqual(['create:attendance:allowed', 'create:attendance:allowed']);
  });

  it('counts each session documented once in stepwise_session_attendance_total, by site and outcome', async () => {
    const t = attendanceUseCases();
    const [present, absent] = t.occurrence();
    const counted = (outcome: string) =>
      sampleValue(t.metrics.registry, 'stepwise_session_attendance_total', { site: SITE_ID, outcome });
    const roster = [
      { appointmentId: present.appointment_id, status: 'present' as const },
      {
        appointmentId: absent.appointment_id,
        status: 'absent' as const,
        reasonCode: MissedSessionReason.Illness,
      },
    ];

    await t.record.record(clinician(), present.occurrence_id, roster);
    expect([await counted('attended'), await counted('missed')]).toEqual([1, 1]);

    // The same roster again, and a correction: the same two sessions, not counted again.
    await t.record.record(clinician(), present.occurrence_id, roster);
    await t.record.record(clinician(), present.occurrence_id, [
      { appointmentId: present.appointment_id, status: 'late', minutesAttended: 60 },
    ]);
    expect([await counted('attended'), await counted('missed')]).toEqual([1, 1]);
    expect(await t.metrics.registry.metrics()).not.toContain(present.client_id);
  });

  it('counts nothing for a roster that was refused (rolled back)', async () => {
    const t = attendanceUseCases();
    const [first, second] = t.occurrence();

    // The second entry is invalid: the first, already applied in the transaction, rolls back with it.
    await expect(
      t.record.record(clinician(), first.occurrence_id, [
        { appointmentId: first.appointment_id, status: 'present' },
        { appointmentId: second.appointment_id, status: 'present', minutesAttended: 500 },
      ]),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    expect(
      (await t.metrics.registry.getSingleMetric('stepwise_session_attendance_total')?.get())?.values,
    ).toEqual([]);
  });

  it('changes and publishes nothing when the same roster is sent again', async () => {
    const t = attendanceUseCases();
    const session = t.single();
    const entries = [{ appointmentId: session.appointment_id, status: 'present' as const }];
    await t.record.record(clinician(), session.occurrence_id, entries);

    const again = await t.record.record(clinician(), session.occurrence_id, entries);

    expect(again.records[0]).toMatchObject({ revision: 1, changed: false });
    expect(t.uow.published).toHaveLength(1);
  });

  it('re-publishes a correction with revision + 1', async () => {
    const t = attendanceUseCases();
    const session = t.single();
    await t.record.record(clinician(), session.occurrence_id, [
      { appointmentId: session.appointment_id, status: 'present' },
    ]);

    await t.record.record(clinician(), session.occurrence_id, [
      { appointmentId: session.appointment_id, status: 'late', minutesAttended: 60 },
    ]);

    expect(t.uow.payloads('SessionAttended').map((e) => [e.status, e.minutesAttended, e.revision])).toEqual([
      ['present', 90, 1],
      ['late', 60, 2],
    ]);
    expect(t.audit.outcomes().at(-1)).toBe('update:attendance:allowed');
  });

  it('answers 409 attendance-locked once a note for the session is signed', async () => {
    const t = attendanceUseCases();
    const session = t.single();
    t.attendance.signedAppointments.add(session.appointment_id);

    const problem = await problemOf(
      t.record.record(clinician(), session.occurrence_id, [
        { appointmentId: session.appointment_id, status: 'present' },
      ]),
    );

    expect(problem.code).toBe('attendance-locked');
    expect(t.uow.published).toEqual([]);
  });

  it('answers 404 for another site’s occurrence and audits the denial', async () => {
    const t = attendanceUseCases();
    const session = t.single();

    const problem = await problemOf(
      t.record.record(clinician([OTHER_SITE_ID]), session.occurrence_id, [
        { appointmentId: session.appointment_id, status: 'present' },
      ]),
    );

    expect(problem.code).toBe('not-found');
    expect(t.audit.outcomes()).toEqual(['record:attendance:denied']);
  });

  it("answers 422 while the site's time zone has not reached sessions", async () => {
    const t = attendanceUseCases();
    const session = t.single();
    t.sites.timeZones.set(SITE_ID, null);

    const problem = await problemOf(
      t.record.record(clinician(), session.occurrence_id, [
        { appointmentId: session.appointment_id, status: 'present' },
      ]),
    );

    expect(problem).toEqual({
      code: 'unprocessable',
      detail: "The site's reference data (its time zone) has not reached sessions yet; retry shortly",
    });
  });

  it('refuses a session that has not started yet', async () => {
    const t = attendanceUseCases();
    const session = t.single();
    t.clock.set('2025-03-03T14:59:00.000Z');

    const problem = await problemOf(
      t.record.record(clinician(), session.occurrence_id, [
        { appointmentId: session.appointment_id, status: 'present' },
      ]),
    );

    expect(problem.detail).toBe('The session has not started yet');
  });

  it('refuses more minutes than the session lasted, and a missing reason for an absence', async () => {
    const t = attendanceUseCases();
    const session = t.single();
    const record = (entry: Parameters<typeof t.record.record>[2][number]) =>
      problemOf(t.record.record(clinician(), session.occurrence_id, [entry]));

    expect(
      (await record({ appointmentId: session.appointment_id, status: 'late', minutesAttended: 91 })).detail,
    ).toBe("minutesAttended exceeds the session's 90 minutes");
    expect((await record({ appointmentId: session.appointment_id, status: 'absent' })).detail).toBe(
      'reasonCode is required when absent or excused',
    );
  });
});

describe('ReadRoster', () => {
  it('answers the recorded roster and audits the read per client', async () => {
    const t = attendanceUseCases();
    const [a, b] = t.occurrence();
    await t.record.record(clinician(), a.occurrence_id, [
      { appointmentId: a.appointment_id, status: 'present' },
      { appointmentId: b.appointment_id, status: 'excused', reasonCode: MissedSessionReason.Illness },
    ]);

    const roster = await t.roster.roster(clinician(), a.occurrence_id);

    expect(roster.records.map((r) => [r.clientId, r.status, r.changed])).toEqual([
      [a.client_id, 'present', false],
      [b.client_id, 'excused', false],
    ]);
    expect(t.audit.outcomes().slice(-2)).toEqual(['read:attendance:allowed', 'read:attendance:allowed']);
  });

  it('answers 404 for an occurrence sessions does not know', async () => {
    const t = attendanceUseCases();

    expect(await problemOf(t.roster.roster(clinician(), '00000000-0000-4000-8000-000000000000'))).toEqual({
      code: 'not-found',
      detail: 'No such session occurrence',
    });
  });
});
