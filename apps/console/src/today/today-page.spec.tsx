import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderScreen, SITE } from '../testing/render-screen';
import { TodayPage } from './today-page';

const occurrence = {
  id: '0c8a1d1e-0000-4000-8000-000000000001',
  seriesId: null,
  siteId: SITE,
  kind: 'group',
  sessionType: 'process-group',
  facilitatorId: 'staff-1',
  room: 'Room B2',
  modality: 'in-person',
  localDate: '2027-03-10',
  startsAt: '2027-03-10T23:00:00Z',
  endsAt: '2027-03-11T02:00:00Z',
  status: 'scheduled',
};
const day = {
  ...occurrence,
  programTrackId: null,
  videoLink: null,
  facilitatorName: 'Counselor 1A',
  roster: [{ appointmentId: 'ap-1', clientId: 'c1000000-0000-4000-8000-000000000000', episodeId: 'e1' }],
};
const routes = {
  [`GET /scheduling/v1/sites/${SITE}/sessions`]: { items: [day], nextCursor: null },
  'GET /intake/v1/clients/c1000000-0000-4000-8000-000000000000': { givenName: 'Ada', familyName: 'Quinn' },
};

describe('Today', () => {
  it("shows a counselor the day's group with its roster by name, and offers attendance", async () => {
    const view = renderScreen(<TodayPage />, {
      path: '/today',
      route: '/today',
      roles: ['counselor'],
      routes,
    });
    const card = await screen.findByRole('region', { name: /Process group/ });
    expect(within(card).getByText('Room B2')).toBeTruthy();
    expect(within(card).getByText('You facilitate')).toBeTruthy();
    expect(within(card).getByRole('link', { name: 'Take attendance' }).getAttribute('href')).toBe(
      `/sessions/${occurrence.id}?site=${SITE}`,
    );
    await userEvent.click(within(card).getByRole('button', { name: 'Roster' }));
    expect(await within(card).findByText('Quinn, Ada')).toBeTruthy();
    // The day asked of the service is the clock's (the browser's zone), not a date the test machine has.
    expect(view.sent.some((s) => s.key === `GET /scheduling/v1/sites/${SITE}/sessions`)).toBe(true);
  });

  it('offers a site administrator the schedule but no attendance, and reads no client names', async () => {
    const view = renderScreen(<TodayPage />, {
      path: '/today',
      route: '/today',
      roles: ['site-admin'],
      routes,
    });
    const card = await screen.findByRole('region', { name: /Process group/ });
    expect(within(card).queryByRole('link', { name: 'Take attendance' })).toBeNull();
    await userEvent.click(within(card).getByRole('button', { name: 'Roster' }));
    expect(await within(card).findByText('Client c1000000')).toBeTruthy();
    expect(view.sent.some((s) => s.key.startsWith('GET /intake/'))).toBe(false);
  });

  it('shows a refusal plainly', async () => {
    renderScreen(<TodayPage />, {
      path: '/today?date=2027-03-11',
      route: '/today',
      roles: ['counselor'],
      routes: {},
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(/Not found \(or not at your sites\)/);
  });
});
