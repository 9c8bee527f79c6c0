import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderScreen, SITE } from '../testing/render-screen';
import { ClientChartPage } from './client-chart-page';

const CLIENT = 'c1000000-0000-4000-8000-000000000001';
const EPISODE = 'e1000000-0000-4000-8000-000000000001';
const CONSENT = 'f1000000-0000-4000-8000-000000000001';
const path = `/clients/${CLIENT}?site=${SITE}&episode=${EPISODE}`;
const route = '/clients/:clientId';

const routes: Record<string, unknown> = {
  [`GET /intake/v1/clients/${CLIENT}`]: {
    id: CLIENT,
    givenName: 'Ada',
    familyName: 'Quinn',
    dateOfBirth: '1990-04-01',
    pronouns: 'she/her',
    preferredLanguage: 'en',
    phone: null,
    email: null,
    address: null,
    referralId: null,
    siteId: SITE,
    timeZone: 'America/Chicago',
    createdAt: '2027-01-20T10:00:00Z',
  },
  [`GET /intake/v1/clients/${CLIENT}/screenings`]: {
    items: [
      {
        id: 's1',
        clientId: CLIENT,
        instrument: 'phq-9',
        instrumentVersion: '1',
        answers: [],
        totalScore: 21,
        band: 'severe',
        bandDefinitionVersion: '1',
        completedAt: '2027-01-21T10:00:00Z',
        urgentFlags: ['self-harm-risk'],
      },
    ],
    nextCursor: null,
  },
  [`GET /intake/v1/clients/${CLIENT}/assessments`]: { items: [], nextCursor: null },
  [`GET /intake/v1/episodes/${EPISODE}`]: {
    id: EPISODE,
    clientId: CLIENT,
    admittedOn: '2027-02-01',
    admittedAt: '2027-02-01T15:00:00Z',
    status: 'active',
    clinicalLevel: '2.1',
    authorizedLevel: '2.1',
    levelHistory: [
      {
        kind: 'clinical',
        fromLevel: '2.5',
        toLevel: '2.1',
        effectiveAt: '2027-02-22T00:00:00Z',
        reasonCode: 'step-down',
        decidedBy: 'staff-2',
        programTrackId: null,
        authorizationNumber: null,
        recommendationId: null,
        startsOn: null,
        endsOn: null,
        units: null,
      },
    ],
  },
  [`GET /intake/v1/episodes/${EPISODE}/plans`]: [
    {
      id: 'p1',
      clientId: CLIENT,
      episodeId: EPISODE,
      version: 2,
      status: 'signed',
      signedAt: '2027-02-05T12:00:00Z',
      signedBy: 'staff-1',
      clientSignedOn: '2027-02-05',
      reviewDueOn: '2027-03-07',
      goalIds: [],
      problems: [
        {
          description: 'Alcohol use',
          goals: [{ description: 'Ninety days sober', objectives: [], interventions: [] }],
        },
      ],
    },
  ],
  [`GET /intake/v1/clients/${CLIENT}/consents`]: {
    items: [
      {
        id: CONSENT,
        clientId: CLIENT,
        recipient: { id: 'org-1', kind: 'payer', name: 'Acme Health' },
        purposes: ['payment'],
        informationCategories: ['attendance'],
        grantedAt: '2027-02-01T15:00:00Z',
        expiresAt: '2028-02-01T15:00:00Z',
        revokedAt: null,
        revocationReceivedOn: null,
      },
    ],
    nextCursor: null,
  },
  [`POST /intake/v1/consents/${CONSENT}/revocation`]: {},
  [`POST /intake/v1/clients/${CLIENT}/consents`]: {},
  [`GET /sessions/v1/clients/${CLIENT}/progress`]: {
    clientId: CLIENT,
    episodeId: EPISODE,
    admittedOn: '2027-02-01',
    attendanceRate: 0.9,
    levelOfCare: '2.1',
    population: 'adult',
    recommendations: [],
    screens: [
      { screenId: 'ds1', collectedOn: '2027-03-05', result: 'positive', substanceCodes: ['cannabinoids'] },
    ],
    weeks: [
      { weekStart: '2027-03-08', attendedMinutes: 180, requiredMinutes: 540, short: true, closed: false },
    ],
  },
};

const section = (name: string): Promise<HTMLElement> => screen.findByRole('region', { name });

describe('Client chart', () => {
  it('shows a counselor each section from its own read, without consents', async () => {
    const view = renderScreen(<ClientChartPage />, { path, route, roles: ['counselor'], routes });
    expect(await screen.findByRole('heading', { name: 'Quinn, Ada' })).toBeTruthy();
    const screenings = await section('Screenings');
    expect(await within(screenings).findByText('Severe')).toBeTruthy();
    expect(within(screenings).getByText('Self harm risk')).toBeTruthy();
    const levels = await section('Assessments and level of care');
    expect(await within(levels).findByRole('table', { name: 'Level history' })).toBeTruthy();
    expect(within(levels).getByText('Step down')).toBeTruthy();
    const plan = await section('Treatment plan');
    expect(await within(plan).findByText('Ninety days sober')).toBeTruthy();
    const progress = await section('Attendance and drug screens');
    expect(await within(progress).findByText('Short')).toBeTruthy();
    expect(within(progress).getByText('cannabinoids')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Consents' })).toBeNull();
    expect(view.sent.some((s) => s.key.endsWith('/consents'))).toBe(false);
  });

  it('lets an intake coordinator record a revocation, and shows no plan or attendance', async () => {
    const view = renderScreen(<ClientChartPage />, { path, route, roles: ['intake-coordinator'], routes });
    const consents = await section('Consents');
    const consent = await within(consents).findByRole('article', { name: /Acme Health/ });
    await userEvent.click(within(consent).getByRole('button', { name: 'Revoke' }));
    await userEvent.selectOptions(
      within(consent).getByLabelText('Revoked in writing by'),
      'legal-representative',
    );
    await userEvent.click(within(consent).getByRole('button', { name: 'Record revocation' }));
    await within(consent).findByRole('button', { name: 'Revoke' });
    expect(view.sent.find((s) => s.key === `POST /intake/v1/consents/${CONSENT}/revocation`)?.body).toEqual({
      revokedBy: 'legal-representative',
      receivedOn: '2027-03-10',
    });
    expect(screen.queryByRole('region', { name: 'Treatment plan' })).toBeNull();
    expect(view.sent.some((s) => s.key.startsWith('GET /sessions/') || s.key.endsWith('/plans'))).toBe(false);
  });

  it('lets an intake coordinator record a consent, refusing an incomplete one before sending', async () => {
    const view = renderScreen(<ClientChartPage />, { path, route, roles: ['intake-coordinator'], routes });
    const consents = await section('Consents');
    await userEvent.click(await within(consents).findByRole('button', { name: 'Record a consent' }));
    const form = within(consents).getByRole('form', { name: 'Record a consent' });
    await userEvent.click(within(form).getByRole('button', { name: 'Record consent' }));
    expect(await within(form).findByText(/Name the recipient/)).toBeTruthy();
    await userEvent.type(within(form).getByLabelText('Recipient id'), 'org-7');
    await userEvent.type(within(form).getByLabelText('Recipient name'), 'Riverside Clinic');
    await userEvent.click(within(form).getByLabelText('Treatment'));
    await userEvent.click(within(form).getByLabelText('Attendance'));
    await userEvent.type(within(form).getByLabelText('Expires on'), '2028-03-10');
    await userEvent.click(within(form).getByLabelText(/right to revoke/));
    await userEvent.click(within(form).getByRole('button', { name: 'Record consent' }));
    await within(consents).findByRole('button', { name: 'Record a consent' });
    expect(view.sent.find((s) => s.key === `POST /intake/v1/clients/${CLIENT}/consents`)?.body).toEqual({
      disclosingProgramId: SITE,
      recipient: { kind: 'provider-organization', id: 'org-7', name: 'Riverside Clinic' },
      purposes: ['treatment'],
      informationCategories: ['attendance'],
      expiresAt: '2028-03-10T23:59:59Z',
      signature: { signedBy: 'client', signedOn: '2027-03-10' },
      rightToRevokeAcknowledged: true,
    });
  });

  it('offers a counselor no revocation even where consents would load', async () => {
    renderScreen(<ClientChartPage />, { path, route, roles: ['counselor'], routes });
    await screen.findByRole('heading', { name: 'Quinn, Ada' });
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Record a consent' })).toBeNull();
  });

  it('shows a section that fails on its own, the others still loading', async () => {
    const { [`GET /intake/v1/clients/${CLIENT}/screenings`]: _, ...rest } = routes;
    renderScreen(<ClientChartPage />, { path, route, roles: ['counselor'], routes: rest });
    const screenings = await section('Screenings');
    expect((await within(screenings).findByRole('alert')).textContent).toMatch(/Screenings did not load/);
    expect(await within(await section('Treatment plan')).findByText('Ninety days sober')).toBeTruthy();
  });

  it('offers billing no chart and reads nothing', async () => {
    const view = renderScreen(<ClientChartPage />, { path, route, roles: ['billing'], routes });
    expect((await screen.findByRole('alert')).textContent).toMatch(/does not allow/);
    expect(view.sent).toEqual([]);
  });
});
