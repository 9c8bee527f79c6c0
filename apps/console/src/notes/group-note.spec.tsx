import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SessionPage } from '../attendance/session-page';
import { type Role } from '../auth/claims';
import { Refusal, renderScreen, SITE } from '../testing/render-screen';
import { groupOccurrence, OCC } from '../testing/sessions';
import { formatInstant } from './note-signatures';

const NOTE = '0b7e0000-0000-4000-8000-0000000000a1';
const COUNSELOR = '5f000000-0000-4000-8000-000000000001';
const SUPERVISOR = '5f000000-0000-4000-8000-000000000002';
const GOAL_SLEEP = '60000000-0000-4000-8000-000000000001';
const GOAL_WORK = '60000000-0000-4000-8000-000000000002';
const GOAL_OLD = '60000000-0000-4000-8000-000000000003';

const occurrence = groupOccurrence(COUNSELOR);
// The machine running the suite may be busy: each wait for the page gets more than the default second.
configure({ asyncUtilTimeout: 15_000 });
const attendee = (n: number) => ({
  id: `ap-${n}`,
  clientId: `c${n}`,
  episodeId: `e${n}`,
  status: 'scheduled',
});
const record = (n: number) => ({
  appointmentId: `ap-${n}`,
  attendanceId: `at-${n}`,
  changed: false,
  clientId: `c${n}`,
  minutesAttended: 180,
  revision: 1,
  sessionDate: '2027-03-10',
  status: 'present',
});
const plan = (version: number, status: string, goals: [string, string][]) => ({
  id: `p${version}`,
  clientId: 'c1',
  episodeId: 'e1',
  version,
  status,
  goalIds: goals.map(([id]) => id),
  problems: [
    {
      description: 'Alcohol use disorder',
      goals: goals.map(([id, description]) => ({ id, description, objectives: [], interventions: [] })),
    },
  ],
  clientSignedOn: null,
  reviewDueOn: null,
  signedAt: status === 'draft' ? null : '2027-03-01T15:00:00Z',
  signedBy: status === 'draft' ? null : COUNSELOR,
});
const sections = (text: string) => ({
  data: `${text} data`,
  assessment: `${text} assessment`,
  plan: `${text} plan`,
});
const note = (status: string, extra: Record<string, unknown> = {}) => ({
  noteId: NOTE,
  siteId: SITE,
  occurrenceId: OCC,
  kind: 'group',
  format: 'DAP',
  status,
  cosignRequired: true,
  shared: { topic: 'Coping with cravings', interventions: 'Urge surfing' },
  entries: [
    { appointmentId: 'ap-1', clientId: 'c1', sections: sections('Ada'), goalIdsAddressed: [GOAL_SLEEP] },
    { appointmentId: 'ap-2', clientId: 'c2', sections: sections('Ben'), goalIdsAddressed: [] },
  ],
  addenda: [],
  signedBy: status === 'draft' ? null : COUNSELOR,
  signedAt: status === 'draft' ? null : '2027-03-11T03:00:00Z',
  cosignedBy: null,
  cosignedAt: null,
  ...extra,
});
const base = {
  [`GET /scheduling/v1/occurrences/${OCC}/roster`]: { occurrence, attendees: [attendee(1), attendee(2)] },
  [`GET /sessions/v1/occurrences/${OCC}/attendance`]: { occurrenceId: OCC, records: [record(1), record(2)] },
  'GET /intake/v1/clients/c1': { givenName: 'Ada', familyName: 'Quinn' },
  'GET /intake/v1/clients/c2': { givenName: 'Ben', familyName: 'Rowe' },
  'GET /sessions/v1/clients/c1/progress': { weeks: [] },
  'GET /sessions/v1/clients/c2/progress': { weeks: [] },
  // Ada's newest signed version holds the goals; a newer draft and the superseded version do not count.
  'GET /intake/v1/episodes/e1/plans': [
    plan(1, 'superseded', [[GOAL_OLD, 'An old goal']]),
    plan(2, 'signed', [
      [GOAL_SLEEP, 'Sleep seven hours a night'],
      [GOAL_WORK, 'Keep the job'],
    ]),
    plan(3, 'draft', [[GOAL_OLD, 'An old goal']]),
  ],
  'GET /intake/v1/episodes/e2/plans': [],
  [`GET /scheduling/v1/sites/${SITE}/staff`]: {
    items: [
      { id: COUNSELOR, displayName: 'Casey Counselor', roles: ['counselor'], siteIds: [SITE], active: true },
      {
        id: SUPERVISOR,
        displayName: 'Sam Supervisor',
        roles: ['clinical-supervisor'],
        siteIds: [SITE],
        active: true,
      },
    ],
    nextCursor: null,
  },
};
/** The session's page, at its note when given, for a person with these roles (COUNSELOR unless `subject`). */
const openSession = (
  noteId: string | undefined,
  roles: Role[],
  routes: Record<string, unknown>,
  subject = COUNSELOR,
) =>
  renderScreen(<SessionPage />, {
    path: `/sessions/${OCC}${noteId === undefined ? '' : `?note=${noteId}`}`,
    route: '/sessions/:occurrenceId',
    roles,
    subject,
    routes: { ...base, ...routes },
  });

async function writeSections(user: ReturnType<typeof userEvent.setup>, texts: Record<string, string>) {
  await user.type(await screen.findByLabelText('Topic'), 'Coping with cravings');
  await user.type(screen.getByLabelText('Interventions'), 'Urge surfing');
  for (const [who, text] of Object.entries(texts)) {
    for (const section of ['Data', 'Assessment', 'Plan']) {
      await user.type(screen.getByLabelText(`${section} (${who})`), `${text} ${section.toLowerCase()}`);
    }
  }
}

describe('The group note: plan goals, co-signature and addenda', () => {
  it("links goals of each attendee's signed plan only, and sends them with the draft", async () => {
    const user = userEvent.setup({ delay: null });
    const view = openSession(undefined, ['counselor'], { 'POST /sessions/v1/notes': note('draft') });
    const goals = await screen.findByRole('group', { name: 'Plan goals addressed (Quinn, Ada)' });
    expect(
      within(goals)
        .getAllByRole('checkbox')
        .map((c) => c.getAttribute('value')),
    ).toEqual([GOAL_SLEEP, GOAL_WORK]);
    expect(screen.queryByText('An old goal')).toBeNull();
    expect(await screen.findByText('No signed treatment plan: no goals to link.')).toBeTruthy();
    await writeSections(user, { 'Quinn, Ada': 'Ada', 'Rowe, Ben': 'Ben' });
    await user.click(within(goals).getByLabelText('Sleep seven hours a night'));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByRole('button', { name: 'Sign note' });
    const created = view.sent.find((s) => s.key === 'POST /sessions/v1/notes')?.body as {
      entries: { appointmentId: string; goalIdsAddressed: string[] }[];
    };
    expect(created.entries.map((e) => [e.appointmentId, e.goalIdsAddressed])).toEqual([
      ['ap-1', [GOAL_SLEEP]],
      ['ap-2', []],
    ]);
    // The note's id (an id only) goes in the address, so the page reopens it and a supervisor can reach it.
    expect(view.address()).toBe(`/sessions/${OCC}?note=${NOTE}`);
  });

  it('says so before sending when two attendees have the same sections, and shows the service refusing them', async () => {
    const user = userEvent.setup({ delay: null });
    const view = openSession(undefined, ['counselor'], {
      'POST /sessions/v1/notes': new Refusal(
        422,
        'identical-note-sections',
        'Two attendees have the same individual section; write what each client did',
      ),
    });
    await writeSections(user, { 'Quinn, Ada': 'Engaged.', 'Rowe, Ben': 'engaged' });
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Rowe, Ben has the same sections as Quinn, Ada: write what each client did',
    );
    expect(view.sent.some((s) => s.key === 'POST /sessions/v1/notes')).toBe(false);

    // The service compares more than the form (whatever it refuses is shown as it says it).
    await user.type(screen.getByLabelText('Plan (Rowe, Ben)'), ' daily');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    const refusal = await screen.findByRole('alert', { name: 'The note was not saved' });
    expect(refusal.textContent).toContain('write what each client did');
  });

  it('tells the signing counselor a supervisor co-signs, without offering it', async () => {
    const user = userEvent.setup({ delay: null });
    openSession(NOTE, ['counselor'], {
      [`GET /sessions/v1/notes/${NOTE}`]: note('draft'),
      [`POST /sessions/v1/notes/${NOTE}/signature`]: note('awaiting-cosign'),
    });
    // The saved draft is reopened from the address, goals ticked as saved.
    expect(((await screen.findByLabelText('Data (Quinn, Ada)')) as HTMLTextAreaElement).value).toBe(
      'Ada data',
    );
    expect((await screen.findByLabelText('Sleep seven hours a night')).hasAttribute('checked')).toBe(true);
    await user.click(screen.getByLabelText('I attest that this note is accurate and complete'));
    await user.click(screen.getByRole('button', { name: 'Sign note' }));
    const status = await screen.findByTestId('note-signature');
    expect(status.textContent).toBe(
      `Signed; awaiting a supervisor’s co-signature by Casey Counselor (you) on ${formatInstant('2027-03-11T03:00:00Z')}.`,
    );
    expect(screen.getByText(/A clinical supervisor co-signs it/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Co-sign note' })).toBeNull();
    // A signed note is not edited (its fieldsets are disabled): addenda follow instead.
    expect(screen.getByLabelText('Data (Quinn, Ada)').closest('fieldset')?.hasAttribute('disabled')).toBe(
      true,
    );
  });

  it('lets another supervisor co-sign after attesting, then shows who co-signed and when', async () => {
    const user = userEvent.setup({ delay: null });
    const view = openSession(
      NOTE,
      ['clinical-supervisor', 'counselor'],
      {
        [`GET /sessions/v1/notes/${NOTE}`]: note('awaiting-cosign'),
        [`POST /sessions/v1/notes/${NOTE}/cosignature`]: note('signed', {
          cosignedBy: SUPERVISOR,
          cosignedAt: '2027-03-11T14:00:00Z',
        }),
      },
      SUPERVISOR,
    );
    const cosign = await screen.findByRole('button', { name: 'Co-sign note' });
    expect(cosign.hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByLabelText('I have reviewed this note and co-sign it'));
    await user.click(cosign);
    expect((await screen.findByTestId('cosigned')).textContent).toBe(
      `Co-signed by Sam Supervisor (you) on ${formatInstant('2027-03-11T14:00:00Z')}.`,
    );
    expect(screen.getByTestId('note-signature').textContent).toMatch(/^Signed by Casey Counselor on /);
    expect(screen.queryByRole('button', { name: 'Co-sign note' })).toBeNull();
    expect(view.sent.find((s) => s.key.endsWith('/cosignature'))?.body).toEqual({ attest: true });
  });

  it('does not offer a supervisor to co-sign a note they signed themselves', async () => {
    openSession(NOTE, ['clinical-supervisor', 'counselor'], {
      [`GET /sessions/v1/notes/${NOTE}`]: note('awaiting-cosign'),
    });
    expect(
      await screen.findByText(/You signed this note: another clinical supervisor co-signs it/),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Co-sign note' })).toBeNull();
  });

  it('adds an addendum to a signed note and shows each under the note with its author and time', async () => {
    const user = userEvent.setup({ delay: null });
    const earlier = {
      addendumId: 'ad-1',
      authorId: SUPERVISOR,
      createdAt: '2027-03-11T16:00:00Z',
      text: 'Reviewed with the team',
    };
    const added = {
      addendumId: 'ad-2',
      authorId: COUNSELOR,
      createdAt: '2027-03-12T15:30:00Z',
      text: 'Ben called: he left early for a shift',
    };
    const view = openSession(NOTE, ['counselor'], {
      [`GET /sessions/v1/notes/${NOTE}`]: note('signed', { addenda: [earlier] }),
      [`POST /sessions/v1/notes/${NOTE}/addenda`]: note('signed', { addenda: [added, earlier] }),
    });
    const addenda = await screen.findByRole('region', { name: 'Addenda' });
    await user.click(within(addenda).getByRole('button', { name: 'Add addendum' }));
    expect(await within(addenda).findByText('Write the addendum first')).toBeTruthy();
    expect(view.sent.some((s) => s.key.endsWith('/addenda'))).toBe(false);
    await user.type(within(addenda).getByLabelText('Addendum'), `  ${added.text} `);
    await user.click(within(addenda).getByRole('button', { name: 'Add addendum' }));
    await within(addenda).findByText(added.text);
    expect(view.sent.find((s) => s.key.endsWith('/addenda'))?.body).toEqual({ text: added.text });
    expect(
      within(addenda)
        .getAllByTestId('addendum')
        .map((a) => a.textContent),
    ).toEqual([
      `Sam Supervisor · ${formatInstant(earlier.createdAt)}${earlier.text}`,
      `Casey Counselor (you) · ${formatInstant(added.createdAt)}${added.text}`,
    ]);
    expect((within(addenda).getByLabelText('Addendum') as HTMLTextAreaElement).value).toBe('');
  });

  it('shows a refused addendum plainly', async () => {
    const user = userEvent.setup({ delay: null });
    openSession(NOTE, ['counselor'], {
      [`GET /sessions/v1/notes/${NOTE}`]: note('signed'),
      [`POST /sessions/v1/notes/${NOTE}/addenda`]: new Refusal(
        403,
        'permission-denied',
        'Requires notes:write',
      ),
    });
    await user.type(await screen.findByLabelText('Addendum'), 'Late information');
    await user.click(screen.getByRole('button', { name: 'Add addendum' }));
    expect((await screen.findByRole('alert', { name: 'The addendum was not added' })).textContent).toContain(
      'Your role or sites do not allow this.',
    );
  });
});
