import { RecordingTransaction } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@stepwise/platform';
import { careEvent } from '../testing/care-events';
import { NotificationTable } from '../testing/in-memory-notifications';
import { InMemoryReminders } from '../testing/in-memory-reminders';
import { RecordingTimers } from '../testing/recording-timers';
import { ReminderPlanner } from './reminder-planner';

describe('ReminderPlanner (plans appointment reminders)', () => {
  const siteId = randomUUID();
  const clientId = randomUUID();
  const episodeId = randomUUID();
  let clock: ManualClock;
  let table: NotificationTable;
  let reminders: InMemoryReminders;
  let timers: RecordingTimers;
  let planner: ReminderPlanner;
  const tx = new RecordingTransaction();

  beforeEach(() => {
    clock = new ManualClock('2025-10-30T12:00:00Z');
    table = new NotificationTable();
    reminders = new InMemoryReminders(table);
    reminders.timeZones.set(siteId, 'America/Chicago');
    timers = new RecordingTimers();
    planner = new ReminderPlanner(clock, timers, reminders);
  });

  const scheduled = (startsAt: string, appointmentId = randomUUID()) =>
    careEvent('AppointmentScheduled', { appointmentId, clientId, episodeId, siteId, startsAt });
  const planned = () =>
    table.rows().map((r) => ({
      template: r.template_code,
      status: r.status,
      reason: r.reason,
      dueAt: r.due_at.toISOString(),
    }));

  it('arms the 24-hour reminder on the day before at the same local time, across the end of daylight saving', async () => {
    // 09:00 CST on Sunday 2 November; the day before, 09:00 was CDT: 25 hours earlier.
    await planner.scheduled(scheduled('2025-11-02T15:00:00Z'), tx);

    expect(planned()).toEqual([
      {
        template: 'appointment-reminder-24h',
        status: 'queued',
        reason: null,
        dueAt: '2025-11-01T14:00:00.000Z',
      },
      {
        template: 'appointment-reminder-2h',
        status: 'queued',
        reason: null,
        dueAt: '2025-11-02T13:00:00.000Z',
      },
    ]);
    expect(timers.set.map((t) => t.dueAt)).toEqual(['2025-11-01T14:00:00.000Z', '2025-11-02T13:00:00.000Z']);
    expect(table.rows()[0]).toMatchObject({
      recipient_id: clientId,
      recipient_kind: 'client',
      kind: 'reminder',
    });
  });

  it("uses the client's own time zone over their site's", async () => {
    reminders.timeZones.set(clientId, 'UTC');
    await planner.scheduled(scheduled('2025-11-02T15:00:00Z'), tx);

    expect(planned()[0]?.dueAt).toBe('2025-11-01T15:00:00.000Z');
  });

  it('never arms a reminder that would already be due', async () => {
    await planner.scheduled(scheduled('2025-10-30T15:00:00Z'), tx); // in three hours

    expect(planned().map((p) => p.template)).toEqual(['appointment-reminder-2h']);
  });

  it('changes nothing when the same appointment is announced again', async () => {
    const event = scheduled('2025-11-02T15:00:00Z');
    await planner.scheduled(event, tx);
    await planner.scheduled(event, tx);

    expect(table.rows()).toHaveLength(2);
    expect(timers.set).toHaveLength(2);
  });

  it('arms nothing for an appointment after the client was discharged, and records it cancelled', async () => {
    reminders.discharges.set(episodeId, new Date('2025-10-31T00:00:00Z'));
    const event = scheduled('2025-11-02T15:00:00Z');
    await planner.scheduled(event, tx);

    expect(table.rows()).toEqual([]);
    expect(reminders.appointments.get(event.data.appointmentId)?.status).toBe('cancelled');
  });

  it('moves a rescheduled reminder: the old one cancelled, a new notification queued on the same schedule row', async () => {
    const event = scheduled('2025-11-02T15:00:00Z');
    await planner.scheduled(event, tx);
    const [old24h] = table.rows().map((r) => r.id);

    const moved = careEvent('AppointmentRescheduled', {
      appointmentId: event.data.appointmentId,
      clientId,
      episodeId,
      siteId,
      startsAt: '2025-11-03T15:00:00Z',
    });
    await planner.rescheduled(moved, tx);

    expect(planned()).toEqual([
      {
        template: 'appointment-reminder-24h',
        status: 'queued',
        reason: null,
        dueAt: '2025-11-02T15:00:00.000Z',
      },
      {
        template: 'appointment-reminder-2h',
        status: 'queued',
        reason: null,
        dueAt: '2025-11-03T13:00:00.000Z',
      },
    ]);
    const new24h = table.rows()[0]?.id ?? '';
    expect(new24h).not.toBe(old24h);
    expect(table.log.filter((s) => s.id === old24h)).toEqual([
      { id: old24h, status: 'queued', reason: null, channel: null },
      { id: old24h, status: 'cancelled', reason: 'appointment-moved', channel: null },
    ]);
    expect(table.log.filter((s) => s.id === new24h).map((s) => [s.status, s.reason])).toEqual([
      ['queued', 'appointment-moved'],
    ]);
    expect(table.rows()[0]?.trigger_event_id).toBe(moved.id);
  });

  it('leaves the reminders alone when an appointment is rescheduled to the same time, or is unknown', async () => {
    const event = scheduled('2025-11-02T15:00:00Z');
    await planner.scheduled(event, tx);
    const same = careEvent('AppointmentRescheduled', { ...event.data, startsAt: event.data.startsAt });
    await planner.rescheduled(same, tx);
    const unknown = careEvent('AppointmentRescheduled', { ...event.data, appointmentId: randomUUID() });
    await planner.rescheduled(unknown, tx);

    expect(table.log.map((s) => s.status)).toEqual(['queued', 'queued']);
    expect(reminders.appointments.has(unknown.data.appointmentId)).toBe(false);
  });

  it('cancels the queued reminders of a cancelled appointment', async () => {
    const event = scheduled('2025-11-02T15:00:00Z');
    await planner.scheduled(event, tx);
    await planner.cancelled(careEvent('AppointmentCancelled', { ...event.data }), tx);

    expect(planned().map((p) => [p.status, p.reason])).toEqual([
      ['cancelled', 'appointment-cancelled'],
      ['cancelled', 'appointment-cancelled'],
    ]);
  });

  it("cancels the reminders of appointments from the client's discharge on, keeping earlier ones", async () => {
    await planner.scheduled(scheduled('2025-10-31T15:00:00Z'), tx);
    await planner.scheduled(scheduled('2025-11-05T15:00:00Z'), tx);
    await planner.discharged(
      careEvent('ClientDischarged', { clientId, episodeId, siteId, dischargedAt: '2025-11-01T00:00:00Z' }),
      tx,
    );

    expect(planned().map((p) => [p.dueAt.slice(0, 10), p.status, p.reason])).toEqual([
      ['2025-10-30', 'queued', null],
      ['2025-10-31', 'queued', null],
      ['2025-11-04', 'cancelled', 'client-discharged'],
      ['2025-11-05', 'cancelled', 'client-discharged'],
    ]);
  });

  it("cancels the old site's reminders from the transfer on, keeps earlier ones, and arms none for a late old-site appointment", async () => {
    const newSite = randomUUID();
    const before = randomUUID();
    const after = randomUUID();
    await planner.scheduled(scheduled('2025-11-03T15:00:00Z', before), tx);
    await planner.scheduled(scheduled('2025-11-06T15:00:00Z', after), tx);
    await planner.transferred(
      careEvent('ClientTransferred', {
        clientId,
        episodeId,
        fromSiteId: siteId,
        siteId: newSite,
        effectiveAt: '2025-11-04T00:00:00Z',
      }),
      tx,
    );
    const byAppointment = (id: string) =>
      table
        .rows()
        .filter((r) => r.appointment_id === id)
        .map((r) => [r.status, r.reason]);
    expect(byAppointment(before)).toEqual([
      ['queued', null],
      ['queued', null],
    ]);
    expect(byAppointment(after)).toEqual([
      ['cancelled', 'client-transferred'],
      ['cancelled', 'client-transferred'],
    ]);
    // An old-site appointment heard of after the transfer, starting after it: nothing to remind of.
    const late = randomUUID();
    await planner.scheduled(scheduled('2025-11-07T15:00:00Z', late), tx);
    expect(byAppointment(late)).toEqual([]);
    // The new site's appointments are reminded of as usual.
    const atNewSite = randomUUID();
    await planner.scheduled(
      careEvent('AppointmentScheduled', {
        appointmentId: atNewSite,
        clientId,
        episodeId,
        siteId: newSite,
        startsAt: '2025-11-07T15:00:00Z',
      }),
      tx,
    );
    expect(byAppointment(atNewSite)).toHaveLength(2);
  });
});
