import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderScreen, SITE } from '../testing/render-screen';
import { CensusPage } from './census-page';

const TRACK_IOP = 'a1000000-0000-4000-8000-000000000001';
const TRACK_PHP = 'a2000000-0000-4000-8000-000000000002';
const ADA = 'c1000000-0000-4000-8000-000000000001';
const BEN = 'c2000000-0000-4000-8000-000000000002';
const CAL = 'c3000000-0000-4000-8000-000000000003';

const entry = (clientId: string, givenName: string, familyName: string, level: string, track: string) => ({
  clientId,
  episodeId: `e${clientId.slice(1)}`,
  givenName,
  familyName,
  dateOfBirth: '1990-04-01',
  admittedOn: '2027-02-01',
  levelOfCare: level,
  primaryCounselorId: 'staff-1',
  programTrackId: track,
});
const progress = (clientId: string, level: string, track: string, attended: number, weeks: number) => ({
  clientId,
  episodeId: `e${clientId.slice(1)}`,
  admittedOn: '2027-02-01',
  attendedMinutes: attended,
  requiredMinutes: 540,
  expectedStayWeeks: 6,
  weeksInProgram: weeks,
  levelOfCare: level,
  programTrackId: track,
  weekStart: '2027-03-08',
  lastScreen: clientId === BEN ? { collectedOn: '2027-03-05', result: 'positive' } : null,
});
const track = (id: string, name: string, level: string) => ({
  id,
  name,
  levelOfCare: level,
  active: true,
  expectedStayWeeks: 6,
  modality: 'in-person',
  plannedWeeklyMinutes: 540,
  population: 'adult',
  siteId: SITE,
  weeklyPattern: [],
});

const routes = {
  [`GET /intake/v1/sites/${SITE}/census`]: {
    items: [
      entry(BEN, 'Ben', 'Okafor', '2.1', TRACK_IOP),
      entry(ADA, 'Ada', 'Quinn', '2.1', TRACK_IOP),
      entry(CAL, 'Cal', 'Reyes', '2.5', TRACK_PHP),
    ],
    nextCursor: null,
  },
  [`GET /sessions/v1/sites/${SITE}/census`]: {
    items: [
      progress(ADA, '2.1', TRACK_IOP, 600, 3),
      progress(BEN, '2.1', TRACK_IOP, 180, 8),
      progress(CAL, '2.5', TRACK_PHP, 900, 1),
    ],
    nextCursor: null,
  },
  [`GET /notifications/v1/sites/${SITE}/alerts`]: {
    items: [
      {
        clientId: BEN,
        alerts: [
          {
            alert: 'weekly-hours-shortfall',
            alertId: 'al-1',
            awaitingAcknowledgement: false,
            raisedAt: '2027-03-09T12:00:00Z',
            urgent: false,
          },
        ],
      },
    ],
    nextCursor: null,
  },
  [`GET /scheduling/v1/sites/${SITE}/tracks`]: {
    items: [track(TRACK_IOP, 'Evening IOP', '2.1'), track(TRACK_PHP, 'Day PHP', '2.5')],
    nextCursor: null,
  },
  'POST /intake/v1/clients/search': {
    items: [
      {
        id: ADA,
        givenName: 'Ada',
        familyName: 'Quinn',
        dateOfBirth: '1990-04-01',
        siteId: SITE,
        activeEpisodeId: 'e1',
      },
    ],
    nextCursor: null,
  },
};

const row = (clientId: string): HTMLElement => screen.getByTestId(`census-${clientId}`);

describe('Census', () => {
  it("shows a counselor the site's clients by level and track with hours, last screen, alerts and weeks", async () => {
    const view = renderScreen(<CensusPage />, {
      path: '/census',
      route: '/census',
      roles: ['counselor'],
      routes,
    });
    const php = await screen.findByRole('region', { name: 'Level 2.5 · Day PHP' });
    const iop = screen.getByRole('region', { name: 'Level 2.1 · Evening IOP' });
    // The higher level first; within a group, by family name.
    expect(php.compareDocumentPosition(iop) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const names = within(iop)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.querySelector('td')?.textContent);
    expect(names).toEqual(['Okafor, Ben', 'Quinn, Ada']);
    // The chart is linked by ids only.
    expect(within(row(ADA)).getByRole('link', { name: 'Quinn, Ada' }).getAttribute('href')).toBe(
      `/clients/${ADA}?site=${SITE}&episode=e${ADA.slice(1)}`,
    );

    expect(await within(row(BEN)).findByText('3 h of 9 h')).toBeTruthy();
    expect(within(row(BEN)).getByText('positive')).toBeTruthy();
    expect(within(row(BEN)).getByText('8 of 6')).toBeTruthy();
    expect(await within(row(BEN)).findByText('Weekly hours shortfall')).toBeTruthy();
    expect(within(row(ADA)).getByText('10 h of 9 h')).toBeTruthy();
    expect(within(row(ADA)).getByText('None yet')).toBeTruthy();
    expect(within(row(ADA)).getByText('None')).toBeTruthy();
    // The week asked of sessions is the clock's day, not the test machine's.
    expect(view.sent.find((s) => s.key === `GET /sessions/v1/sites/${SITE}/census`)?.url).toContain(
      'date=2027-03-10',
    );
  });

  it('shows an intake coordinator names, levels and tracks only, and asks nothing of sessions or alerts', async () => {
    const view = renderScreen(<CensusPage />, {
      path: '/census',
      route: '/census',
      roles: ['intake-coordinator'],
      routes,
    });
    const iop = await screen.findByRole('region', { name: 'Level 2.1 · Evening IOP' });
    expect(within(iop).queryByRole('columnheader', { name: 'Hours this week' })).toBeNull();
    expect(within(iop).queryByRole('columnheader', { name: 'Open alerts' })).toBeNull();
    expect(view.sent.some((s) => s.key.startsWith('GET /sessions/'))).toBe(false);
    expect(view.sent.some((s) => s.key.startsWith('GET /notifications/'))).toBe(false);
  });

  it("still lists the clients when sessions' part fails, and says so", async () => {
    const { [`GET /sessions/v1/sites/${SITE}/census`]: _, ...withoutSessions } = routes;
    renderScreen(<CensusPage />, {
      path: '/census',
      route: '/census',
      roles: ['counselor'],
      routes: withoutSessions,
    });
    expect(await screen.findByText('Okafor, Ben')).toBeTruthy();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Hours, screens and weeks did not load/);
  });

  it('shows a refusal of the census plainly', async () => {
    renderScreen(<CensusPage />, { path: '/census', route: '/census', roles: ['counselor'], routes: {} });
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.some((a) => /The census did not load/.test(a.textContent ?? ''))).toBe(true);
  });

  it('searches by name in the POST body only: never the address, a URL asked for, or browser storage', async () => {
    localStorage.clear();
    sessionStorage.clear();
    const before = window.location.href;
    const view = renderScreen(<CensusPage />, {
      path: '/census',
      route: '/census',
      roles: ['counselor'],
      routes,
    });
    await screen.findByRole('region', { name: 'Level 2.1 · Evening IOP' });
    await userEvent.type(screen.getByLabelText('Name or client id'), 'Quinn{Enter}');
    const results = await screen.findByRole('table', { name: 'Search results' });
    expect(within(results).getByText('Quinn, Ada')).toBeTruthy();

    const searches = view.sent.filter((s) => s.key === 'POST /intake/v1/clients/search');
    expect(searches.map((s) => s.body)).toEqual([{ siteId: SITE, limit: 25, name: 'Quinn' }]);
    expect(view.sent.every((s) => !s.url.includes('Quinn'))).toBe(true);
    expect(window.location.href).toBe(before);
    expect(window.location.href).not.toContain('Quinn');
    const stored = [localStorage, sessionStorage].flatMap((s) =>
      Object.keys(s).map((k) => `${k}=${s.getItem(k) ?? ''}`),
    );
    expect(stored.join('\n')).not.toContain('Quinn');
  });

  it('searches by a whole client id, and asks for 2 letters of a name before searching', async () => {
    const view = renderScreen(<CensusPage />, {
      path: '/census',
      route: '/census',
      roles: ['counselor'],
      routes,
    });
    const box = await screen.findByLabelText('Name or client id');
    await userEvent.type(box, 'Q{Enter}');
    expect(await screen.findByText(/at least 2 letters/)).toBeTruthy();
    expect(view.sent.some((s) => s.key === 'POST /intake/v1/clients/search')).toBe(false);

    await userEvent.clear(box);
    await userEvent.type(box, `${ADA.toUpperCase()}{Enter}`);
    await screen.findByRole('table', { name: 'Search results' });
    expect(view.sent.find((s) => s.key === 'POST /intake/v1/clients/search')?.body).toEqual({
      siteId: SITE,
      limit: 25,
      clientId: ADA,
    });
  });
});
