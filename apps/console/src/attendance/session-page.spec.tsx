import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../testing/render-screen';
import { groupOccurrence, OCC } from '../testing/sessions';
import { SessionPage } from './session-page';

const occurrence = groupOccurrence('staff-1');
const attendee = (n: number) => ({ id: `ap-${n}`, clientId: `c${n}`, status: 'scheduled' });
const note = (status: string) => ({ noteId: 'n1', status, entries: [], addenda: [] });
const routes = {
  [`GET /scheduling/v1/occurrences/${OCC}/roster`]: { occurrence, attendees: [attendee(1), attendee(2)] },
  [`GET /sessions/v1/occurrences/${OCC}/attendance`]: { occurrenceId: OCC, records: [] },
  [`PUT /sessions/v1/occurrences/${OCC}/attendance`]: { occurrenceId: OCC, records: [] },
  'GET /intake/v1/clients/c1': { givenName: 'Ada', familyName: 'Quinn' },
  'GET /intake/v1/clients/c2': { givenName: 'Ben', familyName: 'Rowe' },
  'GET /sessions/v1/clients/c1/progress': {
    weeks: [
      { weekStart: '2027-03-08', attendedMinutes: 180, requiredMinutes: 540, closed: false, short: false },
    ],
  },
  'POST /sessions/v1/notes': note('draft'),
  'POST /sessions/v1/notes/n1/signature': note('signed'),
};

describe('Take attendance and the group note', () => {
  it('records each attendee, then writes the shared section once and each own section, and signs', async () => {
    const user = userEvent.setup({ delay: null });
    const view = renderScreen(<SessionPage />, {
      path: `/sessions/${OCC}`,
      route: '/sessions/:occurrenceId',
      roles: ['counselor'],
      routes,
    });
    expect(await screen.findByText('3 h of 9 h')).toBeTruthy();
    await user.selectOptions(await screen.findByLabelText('Status of Rowe, Ben'), 'late');
    await user.click(screen.getByRole('button', { name: 'Save attendance' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Minutes attended: a whole number from 1 to 180/,
    );
    await user.type(screen.getByLabelText('Minutes attended by Rowe, Ben'), '150');
    await user.click(screen.getByRole('button', { name: 'Save attendance' }));
    expect(await screen.findByText('Attendance saved.')).toBeTruthy();
    expect(view.sent.find((s) => s.key.startsWith('PUT'))?.body).toEqual({
      entries: [
        { appointmentId: 'ap-1', status: 'present' },
        { appointmentId: 'ap-2', status: 'late', minutesAttended: 150 },
      ],
    });

    await user.type(screen.getByLabelText('Topic'), 'Coping with cravings');
    await user.type(screen.getByLabelText('Interventions'), 'Urge surfing');
    for (const who of ['Quinn, Ada', 'Rowe, Ben']) {
      for (const section of ['Data', 'Assessment', 'Plan']) {
        await user.type(screen.getByLabelText(`${section} (${who})`), `${section} ${who.slice(0, 3)}`);
      }
    }
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    const sign = await screen.findByRole('button', { name: 'Sign note' });
    expect(sign.hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByLabelText('I attest that this note is accurate and complete'));
    await user.click(sign);
    expect(await screen.findByText('Signed.')).toBeTruthy();
    const created = view.sent.find((s) => s.key === 'POST /sessions/v1/notes')?.body as {
      shared: unknown;
      entries: unknown[];
    };
    expect(created.shared).toEqual({ topic: 'Coping with cravings', interventions: 'Urge surfing' });
    expect(created.entries).toHaveLength(2);
  });

  it('offers billing staff the recorded attendance without any way to change it or write a note', async () => {
    renderScreen(<SessionPage />, {
      path: `/sessions/${OCC}`,
      route: '/sessions/:occurrenceId',
      roles: ['billing'],
      routes,
    });
    expect((await screen.findByLabelText('Status of Client c1')).hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save attendance' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Group note' })).toBeNull();
  });
});
