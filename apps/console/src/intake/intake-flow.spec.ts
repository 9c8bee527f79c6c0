import { describe, expect, it } from 'vitest';
import { ApiProblem, problemFrom } from '../api/problem';
import {
  admissionProblems,
  assessmentBody,
  assessmentProblems,
  type Client,
  clientBody,
  type ClientForm,
  clientProblems,
  placeProblem,
  type Referral,
  referralBody,
  referralMoves,
  referralProblems,
  resumeAt,
  screeningAnswers,
  screeningProblems,
} from './intake-flow';

const SITE = '5a0c3f2e-7a51-4c55-9d0e-1f2a3b4c5d6e';

const referralForm = {
  source: 'physician' as const,
  reasonCode: 'substance-use' as const,
  referrerName: 'Dr. Lane',
  referrerOrganization: '',
  referrerPhone: '',
  referrerEmail: '',
};
const clientForm: ClientForm = {
  givenName: 'Ada',
  familyName: 'Quinn',
  dateOfBirth: '1990-04-01',
  pronouns: '',
  preferredLanguage: 'en',
  timeZone: 'America/Chicago',
  phone: '',
  email: '',
};
const referral = (status: Referral['status']): Referral =>
  ({ id: 'r1', status, clientId: null }) as unknown as Referral;
const client = { id: 'c1' } as unknown as Client;

describe('the referral step', () => {
  it('needs the referrer’s name and well-formed contacts', () => {
    expect(referralProblems(referralForm)).toEqual({});
    expect(referralProblems({ ...referralForm, referrerName: '  ' })).toEqual({
      'referrer.name': 'Name who referred the client.',
    });
    expect(
      Object.keys(referralProblems({ ...referralForm, referrerPhone: '555-0100', referrerEmail: 'lane' })),
    ).toEqual(['referrer.phone', 'referrer.email']);
    expect(referralProblems({ ...referralForm, referrerPhone: '+15555550100' })).toEqual({});
  });

  it('sends only the details given, trimmed', () => {
    expect(referralBody(SITE, { ...referralForm, referrerOrganization: ' Mercy ' })).toEqual({
      siteId: SITE,
      source: 'physician',
      reasonCode: 'substance-use',
      referrer: { name: 'Dr. Lane', organization: 'Mercy' },
    });
  });
});

describe('the client step', () => {
  it('needs names, a real birth date not after today, a language and a time zone', () => {
    expect(clientProblems(clientForm, '2027-03-10')).toEqual({});
    expect(
      Object.keys(
        clientProblems(
          { ...clientForm, givenName: '', dateOfBirth: '1990-02-30', preferredLanguage: ' ' },
          '2027-03-10',
        ),
      ),
    ).toEqual(['givenName', 'dateOfBirth', 'preferredLanguage']);
    expect(clientProblems({ ...clientForm, dateOfBirth: '2027-03-11' }, '2027-03-10')).toEqual({
      dateOfBirth: 'The date of birth cannot be after today.',
    });
  });

  it('links the referral and leaves out empty optional details', () => {
    expect(clientBody(SITE, 'r1', { ...clientForm, pronouns: 'she/her' })).toEqual({
      siteId: SITE,
      referralId: 'r1',
      givenName: 'Ada',
      familyName: 'Quinn',
      dateOfBirth: '1990-04-01',
      preferredLanguage: 'en',
      timeZone: 'America/Chicago',
      pronouns: 'she/her',
    });
    expect(clientBody(SITE, undefined, clientForm)).not.toHaveProperty('referralId');
  });
});

describe('the screening step', () => {
  it('asks for every item of the instrument, whole numbers only', () => {
    const answers = ['0', '1', '2', '3', '0', '1', '2', '3', '1'];
    expect(screeningProblems('phq-9', answers)).toEqual({});
    expect(screeningProblems('phq-9', ['0', '', 'x', '1.5'])).toMatchObject({
      'answers.1': 'Answer item 2.',
      'answers.2': 'Answer item 3.',
      'answers.3': 'Answer item 4.',
      'answers.8': 'Answer item 9.',
    });
    expect(Object.keys(screeningProblems('gad-7', []))).toHaveLength(7);
    expect(screeningAnswers('phq-9', answers)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 1]);
  });
});

describe('the assessment step', () => {
  const rated = {
    ratings: ['1', '0', '2', '2', '2', '2'],
    overrideLevel: '' as const,
    overrideReason: '' as const,
  };

  it('needs six ratings from 0 to 4, and a reason with a placement at another level', () => {
    expect(assessmentProblems(rated)).toEqual({});
    expect(Object.keys(assessmentProblems({ ...rated, ratings: ['1', '', '5', '2', '2', '2'] }))).toEqual([
      'dimensionRatings.1',
      'dimensionRatings.2',
    ]);
    expect(assessmentProblems({ ...rated, overrideLevel: '2.5' })).toEqual({
      overrideReason: 'Say why the placement differs from the computed level.',
    });
    expect(assessmentProblems({ ...rated, overrideReason: 'safety-concern' })).toHaveProperty(
      'overrideLevel',
    );
  });

  it('sends the ratings as numbers, the placement only when made', () => {
    expect(assessmentBody(rated, '2027-03-10T15:00:00.000Z')).toEqual({
      dimensionRatings: [1, 0, 2, 2, 2, 2],
      assessedAt: '2027-03-10T15:00:00.000Z',
    });
    expect(
      assessmentBody({ ...rated, overrideLevel: '2.5', overrideReason: 'safety-concern' }, 'x'),
    ).toMatchObject({ overrideLevel: '2.5', overrideReason: 'safety-concern' });
  });
});

describe('the admission step', () => {
  it('needs a track, the counselor’s staff id and a first day', () => {
    const form = {
      programTrackId: 't1',
      primaryCounselorId: 'A1000000-0000-4000-8000-000000000001',
      admittedOn: '2027-03-10',
    };
    expect(admissionProblems(form)).toEqual({});
    expect(
      Object.keys(admissionProblems({ programTrackId: '', primaryCounselorId: 'Lee', admittedOn: '' })),
    ).toEqual(['programTrackId', 'primaryCounselorId', 'admittedOn']);
  });
});

describe('placing a refusal on the form', () => {
  const refusal = problemFrom(422, {
    status: 422,
    code: 'validation-failed',
    title: 'The request is not valid',
    requestId: 'req-1',
    errors: [
      { field: 'answers.3', problems: ['item 4 accepts 0, 1, 2, 3'] },
      { field: 'referrer.phone', problems: ['phone must be E.164'] },
      { field: 'address.city', problems: ['city should not be empty'] },
      { field: 'siteId', problems: ['siteId must be a UUID'] },
    ],
  });

  it('reads the fields of problem+json', () => {
    expect(refusal.fields.map((f) => f.field)).toEqual([
      'answers.3',
      'referrer.phone',
      'address.city',
      'siteId',
    ]);
    expect(refusal.detail).toContain('item 4 accepts 0, 1, 2, 3');
  });

  it('puts each field’s problems beside the field shown, the nearest for a sub-field, the rest on the step', () => {
    const placed = placeProblem(refusal, ['answers.3', 'referrer.phone', 'address']);
    expect(placed.fields).toEqual({
      'answers.3': 'item 4 accepts 0, 1, 2, 3',
      'referrer.phone': 'phone must be E.164',
      address: 'city should not be empty',
    });
    expect(placed.general).toBeInstanceOf(ApiProblem);
    expect((placed.general as ApiProblem).summary).toBe('siteId must be a UUID');
    expect((placed.general as ApiProblem).requestId).toBe('req-1');
  });

  it('leaves a refusal without fields, or anything else, to the step', () => {
    const conflict = problemFrom(409, {
      code: 'episode-already-active',
      title: 'Conflict',
      detail: 'Discharge the active episode before admitting again',
    });
    expect(placeProblem(conflict, ['programTrackId'])).toEqual({ fields: {}, general: conflict });
    // A domain conflict says itself what is wrong (not "someone changed this").
    expect(conflict.summary).toBe('Discharge the active episode before admitting again');
    expect(problemFrom(409, { code: 'conflict', detail: 'x' }).summary).toMatch(/^Someone changed this/);
    expect(placeProblem(undefined, [])).toEqual({ fields: {}, general: undefined });
  });
});

describe('resuming an intake', () => {
  it('goes on where the records stand', () => {
    const none = { referral: undefined, client: undefined, assessments: [], episode: undefined };
    expect(resumeAt(none)).toBe('referral');
    expect(resumeAt({ ...none, referral: referral('received') })).toBe('client');
    expect(resumeAt({ ...none, referral: referral('screening'), client })).toBe('screenings');
    expect(resumeAt({ ...none, client, assessments: [{} as never] })).toBe('admission');
    expect(resumeAt({ ...none, referral: referral('declined'), client })).toBe('closed');
    expect(resumeAt({ ...none, client, episode: {} as never })).toBe('done');
  });

  it('moves the referral on as the steps are reached, forwards only', () => {
    expect(referralMoves('received', 'screenings')).toEqual(['screening']);
    expect(referralMoves('screening', 'screenings')).toEqual([]);
    expect(referralMoves('received', 'admission')).toEqual(['screening', 'assessed']);
    expect(referralMoves('screening', 'admission')).toEqual(['assessed']);
    expect(referralMoves('assessed', 'admission')).toEqual([]);
    expect(referralMoves('declined', 'admission')).toEqual([]);
    expect(referralMoves(undefined, 'admission')).toEqual([]);
  });
});
