import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Layout } from '../shell/layout';
import { renderScreen, reply, type Sent, SITE } from '../testing/render-screen';
import { IntakePage } from './intake-page';

// The machine running the suite may be loaded: waits for the screen are generous (never sleeps).
configure({ asyncUtilTimeout: 20_000 });

const REFERRAL = 'b1000000-0000-4000-8000-000000000001';
const CLIENT = 'c1000000-0000-4000-8000-000000000001';
const EPISODE = 'e1000000-0000-4000-8000-000000000001';
const TRACK_IOP = 'a1000000-0000-4000-8000-000000000001';
const TRACK_PHP = 'a2000000-0000-4000-8000-000000000002';
const COUNSELOR = 'd1000000-0000-4000-8000-000000000001';

const referral = (status: string, clientId: string | null = null) => ({
  id: REFERRAL,
  siteId: SITE,
  source: 'physician',
  reasonCode: 'substance-use',
  referrer: { name: 'Dr. Lane', organization: 'Mercy Hospital' },
  status,
  clientId,
  receivedAt: '2027-03-10T14:00:00Z',
  updatedAt: '2027-03-10T14:00:00Z',
});
const client = {
  id: CLIENT,
  siteId: SITE,
  referralId: REFERRAL,
  givenName: 'Ada',
  familyName: 'Quinn',
  dateOfBirth: '1990-04-01',
  pronouns: null,
  preferredLanguage: 'en',
  timeZone: 'America/Chicago',
  phone: null,
  email: null,
  address: null,
  createdAt: '2027-03-10T14:05:00Z',
};
const screening = {
  id: 's1',
  clientId: CLIENT,
  instrument: 'phq-9',
  instrumentVersion: 'phq-9@1',
  answers: [2, 2, 2, 1, 1, 1, 1, 1, 1],
  totalScore: 12,
  band: 'moderate',
  bandDefinitionVersion: 'phq-9.default@1',
  urgentFlags: ['self-harm-risk'],
  completedAt: '2027-03-10T15:00:00.000Z',
};
const assessment = {
  id: 'as1',
  clientId: CLIENT,
  episodeId: null,
  kind: 'initial',
  dimensionRatings: [1, 0, 2, 2, 2, 2],
  ruleSetVersion: 'asam-illustrative@1',
  computedLevel: '2.1',
  overrideLevel: null,
  overrideReason: null,
  recommendedLevel: '2.1',
  assessedBy: 'staff-1',
  assessedAt: '2027-03-10T15:00:00.000Z',
};
const track = (id: string, name: string, levelOfCare: string) => ({
  id,
  siteId: SITE,
  name,
  levelOfCare,
  population: 'adult',
  modality: 'in-person',
  weeklyPattern: [],
  plannedWeeklyMinutes: 540,
  expectedStayWeeks: 6,
  active: true,
});
const episode = {
  id: EPISODE,
  clientId: CLIENT,
  siteId: SITE,
  programTrackId: TRACK_IOP,
  population: 'adult',
  clinicalLevel: '2.1',
  authorizedLevel: null,
  primaryCounselorId: COUNSELOR,
  admittedOn: '2027-03-10',
  admittedAt: '2027-03-10T05:00:00Z',
  status: 'active',
  dischargedAt: null,
  dischargeReason: null,
  referredTo: [],
  levelHistory: [],
};
const page = <T,>(items: T[]) => ({ items, nextCursor: null });

/** Intake as a service whose records change as the flow writes them. */
function intakeService(): Record<string, unknown> {
  let status = 'received';
  let registered = false;
  const screenings: unknown[] = [];
  const assessments: unknown[] = [];
  return {
    'POST /intake/v1/referrals': reply(201, referral('received')),
    [`GET /intake/v1/referrals/${REFERRAL}`]: () => referral(status, registered ? CLIENT : null),
    [`POST /intake/v1/referrals/${REFERRAL}/transitions`]: (sent: Sent) => {
      status = (sent.body as { to: string }).to;
      return referral(status, CLIENT);
    },
    'POST /intake/v1/clients': () => {
      registered = true;
      return reply(201, client);
    },
    [`GET /intake/v1/clients/${CLIENT}`]: client,
    [`GET /intake/v1/clients/${CLIENT}/screenings`]: () => page(screenings),
    [`POST /intake/v1/clients/${CLIENT}/screenings`]: () => {
      screenings.push(screening);
      return reply(201, screening);
    },
    [`GET /intake/v1/clients/${CLIENT}/assessments`]: () => page(assessments),
    [`POST /intake/v1/clients/${CLIENT}/assessments`]: () => {
      assessments.push(assessment);
      return reply(201, assessment);
    },
    [`POST /intake/v1/clients/${CLIENT}/admissions`]: reply(201, episode),
    [`GET /intake/v1/sites/${SITE}/referrals`]: page([]),
    [`GET /scheduling/v1/sites/${SITE}/tracks`]: page([
      track(TRACK_PHP, 'Day PHP', '2.5'),
      track(TRACK_IOP, 'Evening IOP', '2.1'),
    ]),
  };
}

const render = (routes: Record<string, unknown>, path = `/intake?site=${SITE}`) =>
  renderScreen(<IntakePage />, { path, route: '/intake', roles: ['intake-coordinator'], routes });
const bodyOf = (sent: Sent[], key: string): unknown => sent.find((s) => s.key === key)?.body;
/** Typing a whole value at once (userEvent types key by key: slow on a loaded machine). */
const fill = (field: HTMLElement, value: string): void => {
  fireEvent.change(field, { target: { value } });
};
const answer = (items: string[]): void => {
  for (const [i, value] of items.entries()) fill(screen.getByLabelText(`Item ${i + 1}`), value);
};

describe('Intake', () => {
  it('takes a coordinator from the referral to the admission, showing each result as the service gives it', async () => {
    localStorage.clear();
    sessionStorage.clear();
    const view = render(intakeService());

    // Referral: the referrer, by keyboard (Enter sends the form).
    fill(await screen.findByLabelText('Source'), 'physician');
    fill(screen.getByLabelText(/Referred by/), 'Dr. Lane');
    fill(screen.getByLabelText('Organization'), 'Mercy Hospital');
    await userEvent.type(screen.getByLabelText('Organization'), '{Enter}');

    // Client: names and birth date in the body only.
    fill(await screen.findByLabelText(/Given name/), 'Ada');
    fill(screen.getByLabelText(/Family name/), 'Quinn');
    fill(screen.getByLabelText(/Date of birth/), '1990-04-01');
    fill(screen.getByLabelText(/Time zone/), 'America/Chicago');
    await userEvent.click(screen.getByRole('button', { name: 'Register client' }));

    // Screenings: scored and banded by intake, the urgent flag shown.
    await screen.findByRole('form', { name: 'Submit a screening' });
    answer(['2', '2', '2', '1', '1', '1', '1', '1', '1']);
    await userEvent.click(screen.getByRole('button', { name: 'Submit screening' }));
    expect((await screen.findByRole('status')).textContent).toBe(
      'PHQ-9 scored 12: moderate — urgent: self harm risk',
    );
    const results = await screen.findByRole('table', { name: 'Screenings' });
    expect(within(results).getByText('Self harm risk')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Continue to assessment' }));

    // Assessment: the level the ratings support.
    const form = await screen.findByRole('form', { name: 'ASAM assessment' });
    for (const [i, rating] of ['1', '0', '2', '2', '2', '2'].entries()) {
      fill(within(form).getByLabelText(new RegExp(`^${i + 1}\\. `)), rating);
    }
    await userEvent.click(screen.getByRole('button', { name: 'Record assessment' }));
    expect((await screen.findByTestId('assessment-result')).textContent).toMatch(
      /support level 2\.1 \(asam-illustrative@1\)/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Continue to admission' }));

    // Admission: the track at the supported level is offered first.
    const tracks = await screen.findByLabelText('Program track');
    await waitFor(() =>
      expect([...tracks.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
        'Choose a track',
        'Evening IOP · level 2.1 · adult',
        'Day PHP · level 2.5 · adult',
      ]),
    );
    fill(tracks, TRACK_IOP);
    fill(screen.getByLabelText('Primary counselor (staff id)'), COUNSELOR);
    await userEvent.click(screen.getByRole('button', { name: 'Admit' }));
    const done = await screen.findByRole('status', { name: 'Admitted' });
    expect(done.textContent).toMatch(/Admitted at level 2\.1 \(adult\) from 2027-03-10/);
    expect(within(done).getByRole('link', { name: 'Open the census' }).getAttribute('href')).toBe(
      `/census?site=${SITE}`,
    );

    expect(bodyOf(view.sent, 'POST /intake/v1/referrals')).toEqual({
      siteId: SITE,
      source: 'physician',
      reasonCode: 'substance-use',
      referrer: { name: 'Dr. Lane', organization: 'Mercy Hospital' },
    });
    expect(bodyOf(view.sent, 'POST /intake/v1/clients')).toEqual({
      siteId: SITE,
      referralId: REFERRAL,
      givenName: 'Ada',
      familyName: 'Quinn',
      dateOfBirth: '1990-04-01',
      preferredLanguage: 'en',
      timeZone: 'America/Chicago',
    });
    // The referral moves on as screening begins and after the assessment; the admission closes it.
    expect(
      view.sent.filter((s) => s.key.endsWith('/transitions')).map((s) => (s.body as { to: string }).to),
    ).toEqual(['screening', 'assessed']);
    expect(bodyOf(view.sent, `POST /intake/v1/clients/${CLIENT}/screenings`)).toEqual({
      instrument: 'phq-9',
      answers: [2, 2, 2, 1, 1, 1, 1, 1, 1],
      completedAt: '2027-03-10T15:00:00.000Z',
    });
    expect(bodyOf(view.sent, `POST /intake/v1/clients/${CLIENT}/assessments`)).toEqual({
      dimensionRatings: [1, 0, 2, 2, 2, 2],
      assessedAt: '2027-03-10T15:00:00.000Z',
    });
    expect(bodyOf(view.sent, `POST /intake/v1/clients/${CLIENT}/admissions`)).toEqual({
      siteId: SITE,
      programTrackId: TRACK_IOP,
      levelOfCare: '2.1',
      population: 'adult',
      primaryCounselorId: COUNSELOR,
      admittedOn: '2027-03-10',
      referralId: REFERRAL,
    });
    // Names and birth date went in bodies only: no URL asked for, and no storage, holds them.
    expect(view.sent.filter((s) => /Quinn|Ada|1990-04-01|Lane/.test(s.url))).toEqual([]);
    const stored = [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => s.getItem(k)));
    expect(stored).toEqual([]);
  }, 180_000);

  it('checks a step before sending it, and shows the service’s refusal beside the item it names', async () => {
    const routes = {
      ...intakeService(),
      [`GET /intake/v1/referrals/${REFERRAL}`]: referral('screening', CLIENT),
      [`POST /intake/v1/clients/${CLIENT}/screenings`]: reply(422, {
        status: 422,
        code: 'answers-out-of-range',
        title: 'The answers cannot be scored',
        requestId: 'req-9',
        errors: [{ field: 'answers.3', problems: ['item 4 accepts 0, 1, 2, 3'] }],
      }),
    };
    const view = render(routes, `/intake?site=${SITE}&referral=${REFERRAL}`);
    // Resumed where the records stand: a client without assessments is at the screenings.
    await screen.findByRole('form', { name: 'Submit a screening' });
    await userEvent.click(screen.getByRole('button', { name: 'Submit screening' }));
    expect(screen.getByLabelText('Item 1').getAttribute('aria-invalid')).toBe('true');
    expect(view.sent.some((s) => s.key.endsWith('/screenings') && s.key.startsWith('POST'))).toBe(false);

    answer(['0', '0', '0', '7', '0', '0', '0', '0', '0']);
    await userEvent.click(screen.getByRole('button', { name: 'Submit screening' }));
    expect(await screen.findByText('item 4 accepts 0, 1, 2, 3')).toBeTruthy();
    expect(screen.getByLabelText('Item 4').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Item 3').getAttribute('aria-invalid')).not.toBe('true');
  });

  it('says plainly why an admission was refused, next to the step', async () => {
    const routes = {
      ...intakeService(),
      [`GET /intake/v1/referrals/${REFERRAL}`]: referral('assessed', CLIENT),
      [`GET /intake/v1/clients/${CLIENT}/assessments`]: page([assessment]),
      [`POST /intake/v1/clients/${CLIENT}/admissions`]: reply(409, {
        status: 409,
        code: 'episode-already-active',
        title: 'Conflict',
        detail: 'Discharge the active episode before admitting again',
        requestId: 'req-7',
      }),
    };
    render(routes, `/intake?site=${SITE}&referral=${REFERRAL}`);
    const tracks = await screen.findByLabelText('Program track');
    await waitFor(() => expect(tracks.querySelectorAll('option')).toHaveLength(3));
    await userEvent.click(screen.getByRole('button', { name: 'Admit' }));
    expect(screen.getByLabelText('Program track').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Give the primary counselor’s staff id.')).toBeTruthy();

    fill(tracks, TRACK_PHP);
    expect(screen.getByText(/The assessment supports level 2\.1; this track is level 2\.5/)).toBeTruthy();
    fill(screen.getByLabelText('Primary counselor (staff id)'), COUNSELOR);
    await userEvent.click(screen.getByRole('button', { name: 'Admit' }));
    const alert = await screen.findByRole('alert', { name: 'The client was not admitted' });
    expect(alert.textContent).toMatch(/Discharge the active episode before admitting again/);
    expect(alert.textContent).toMatch(/Request req-7/);
  });

  it('resumes from an open referral of the site', async () => {
    const routes = {
      ...intakeService(),
      [`GET /intake/v1/sites/${SITE}/referrals`]: (sent: Sent) =>
        page(
          new URL(sent.url).searchParams.get('status') === 'screening' ? [referral('screening', CLIENT)] : [],
        ),
      [`GET /intake/v1/referrals/${REFERRAL}`]: referral('screening', CLIENT),
    };
    const view = render(routes);
    const open = await screen.findByRole('table', { name: 'Open referrals' });
    expect(within(open).getByText('Mercy Hospital')).toBeTruthy();
    await userEvent.click(within(open).getByRole('button', { name: 'Resume' }));
    expect(await screen.findByRole('form', { name: 'Submit a screening' })).toBeTruthy();
    expect(
      view.sent
        .filter((s) => s.key === `GET /intake/v1/sites/${SITE}/referrals`)
        .map((s) => new URL(s.url).searchParams.get('status'))
        .sort(),
    ).toEqual(['assessed', 'received', 'screening']);
  });

  it('is not offered to a role that cannot run an intake', async () => {
    renderScreen(<Layout />, {
      path: `/intake?site=${SITE}`,
      route: '/intake',
      roles: ['counselor'],
      routes: {},
    });
    const nav = await screen.findByRole('navigation', { name: 'Screens' });
    expect(within(nav).queryByRole('link', { name: 'Intake' })).toBeNull();
    expect(within(nav).getByRole('link', { name: 'Census' })).toBeTruthy();

    renderScreen(<IntakePage />, { path: '/intake', route: '/intake', roles: ['counselor'], routes: {} });
    expect((await screen.findByRole('alert')).textContent).toBe('Your role does not run intakes.');
  });

  it('offers it to an intake coordinator', async () => {
    renderScreen(<Layout />, {
      path: `/intake?site=${SITE}`,
      route: '/intake',
      roles: ['intake-coordinator'],
      routes: {},
    });
    const nav = await screen.findByRole('navigation', { name: 'Screens' });
    expect(within(nav).getByRole('link', { name: 'Intake' }).getAttribute('href')).toBe(
      `/intake?site=${SITE}`,
    );
  });
});
