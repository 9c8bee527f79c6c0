import { type components } from '../api/generated/intake';
import { ApiProblem } from '../api/problem';
import { parseDate } from '../today/dates';

export type Referral = components['schemas']['ReferralView'];
export type ReferralBody = components['schemas']['CreateReferralDto'];
export type Client = components['schemas']['ClientView'];
export type ClientBody = components['schemas']['CreateClientDto'];
export type Screening = components['schemas']['ScreeningView'];
export type Instrument = components['schemas']['SubmitScreeningDto']['instrument'];
export type Assessment = components['schemas']['AssessmentView'];
export type AssessBody = components['schemas']['AssessDto'];
export type Level = components['schemas']['AdmitClientDto']['levelOfCare'];
export type OverrideReason = NonNullable<AssessBody['overrideReason']>;
export type Episode = components['schemas']['EpisodeView'];

/** The steps of an intake, in order. */
export const STEPS = ['referral', 'client', 'screenings', 'assessment', 'admission'] as const;
export type Step = (typeof STEPS)[number];

/** Problems of a step's form by field name (the names the service's `errors[].field` uses). */
export type FieldErrors = Record<string, string>;

export const SOURCES: readonly ReferralBody['source'][] = [
  'self',
  'family',
  'physician',
  'court',
  'employer',
  'step-down',
  'other',
];
export const REASONS: readonly ReferralBody['reasonCode'][] = [
  'substance-use',
  'co-occurring',
  'mental-health',
  'step-down-from-higher-level',
  'court-mandated',
  'relapse-after-treatment',
  'other',
];
export const LEVELS: readonly Level[] = ['0.5', '1', '2.1', '2.5', '3.1', '3.3', '3.5', '3.7', '4'];
export const OVERRIDE_REASONS: readonly OverrideReason[] = [
  'clinical-judgement',
  'client-preference',
  'co-occurring-needs',
  'level-not-available',
  'payer-requirement',
  'safety-concern',
  'support-system',
];

/**
 * How many items each instrument's form has (the published forms). Only the count lives here: which values an
 * item accepts is the service's rule, and its refusal names the item (`answers.N`), shown beside that item.
 */
export const INSTRUMENT_ITEMS: Readonly<Record<Instrument, number>> = {
  'phq-9': 9,
  'gad-7': 7,
  audit: 10,
  'dast-10': 10,
  cows: 11,
  'ciwa-ar': 10,
};
export const INSTRUMENTS = Object.keys(INSTRUMENT_ITEMS) as Instrument[];

/** The six ASAM dimensions, rated 0 (none) to 4 (severe). */
export const DIMENSIONS = [
  'Acute intoxication and withdrawal',
  'Biomedical conditions',
  'Emotional, behavioural or cognitive conditions',
  'Readiness to change',
  'Relapse or continued use potential',
  'Recovery environment',
] as const;

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReferralForm {
  source: ReferralBody['source'];
  reasonCode: ReferralBody['reasonCode'];
  referrerName: string;
  referrerOrganization: string;
  referrerPhone: string;
  referrerEmail: string;
}

export interface ClientForm {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  pronouns: string;
  preferredLanguage: string;
  timeZone: string;
  phone: string;
  email: string;
}

export interface AssessmentForm {
  /** One entry per dimension, '' until rated. */
  ratings: string[];
  overrideLevel: Level | '';
  overrideReason: OverrideReason | '';
}

export interface AdmissionForm {
  programTrackId: string;
  primaryCounselorId: string;
  admittedOn: string;
}

const contactProblems = (phone: string, email: string, prefix = ''): FieldErrors => ({
  ...(phone.trim() !== '' && !E164.test(phone.trim())
    ? { [`${prefix}phone`]: 'Write the number as +15555550100 (E.164).' }
    : {}),
  ...(email.trim() !== '' && !EMAIL.test(email.trim())
    ? { [`${prefix}email`]: 'This is not an e-mail address.' }
    : {}),
});

/** What keeps a referral from being sent: the referrer's name is required; contacts must be well formed. */
export function referralProblems(form: ReferralForm): FieldErrors {
  return {
    ...(form.referrerName.trim() === '' ? { 'referrer.name': 'Name who referred the client.' } : {}),
    ...(form.referrerName.trim().length > 200 ? { 'referrer.name': 'At most 200 characters.' } : {}),
    ...(form.referrerOrganization.trim().length > 200
      ? { 'referrer.organization': 'At most 200 characters.' }
      : {}),
    ...contactProblems(form.referrerPhone, form.referrerEmail, 'referrer.'),
  };
}

export function referralBody(site: string, form: ReferralForm): ReferralBody {
  const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  const organization = optional(form.referrerOrganization);
  const phone = optional(form.referrerPhone);
  const email = optional(form.referrerEmail);
  return {
    siteId: site,
    source: form.source,
    reasonCode: form.reasonCode,
    referrer: {
      name: form.referrerName.trim(),
      ...(organization === undefined ? {} : { organization }),
      ...(phone === undefined ? {} : { phone }),
      ...(email === undefined ? {} : { email }),
    },
  };
}

/** What keeps a client from being registered; `today` is the site's date (a birth date cannot be later). */
export function clientProblems(form: ClientForm, today: string): FieldErrors {
  const born = parseDate(form.dateOfBirth);
  return {
    ...(form.givenName.trim() === '' ? { givenName: 'Give the client’s given name.' } : {}),
    ...(form.familyName.trim() === '' ? { familyName: 'Give the client’s family name.' } : {}),
    ...(born === undefined
      ? { dateOfBirth: 'Give the date of birth (YYYY-MM-DD).' }
      : born > today
        ? { dateOfBirth: 'The date of birth cannot be after today.' }
        : {}),
    ...(form.preferredLanguage.trim() === '' ? { preferredLanguage: 'Give a language tag, e.g. en.' } : {}),
    ...(form.timeZone.trim() === '' ? { timeZone: 'Give a time zone, e.g. America/Chicago.' } : {}),
    ...contactProblems(form.phone, form.email),
  };
}

export function clientBody(site: string, referralId: string | undefined, form: ClientForm): ClientBody {
  const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  const extras = {
    pronouns: optional(form.pronouns),
    phone: optional(form.phone),
    email: optional(form.email),
  };
  return {
    siteId: site,
    ...(referralId === undefined ? {} : { referralId }),
    givenName: form.givenName.trim(),
    familyName: form.familyName.trim(),
    dateOfBirth: form.dateOfBirth,
    preferredLanguage: form.preferredLanguage.trim(),
    timeZone: form.timeZone.trim(),
    ...Object.fromEntries(Object.entries(extras).filter(([, v]) => v !== undefined)),
  };
}

/** Every item answered with a whole number from 0; the service checks each item's own values. */
export function screeningProblems(instrument: Instrument, answers: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (let i = 0; i < INSTRUMENT_ITEMS[instrument]; i += 1) {
    const answer = (answers[i] ?? '').trim();
    if (!/^\d+$/.test(answer)) errors[`answers.${i}`] = `Answer item ${i + 1}.`;
  }
  return errors;
}

export const screeningAnswers = (instrument: Instrument, answers: readonly string[]): number[] =>
  Array.from({ length: INSTRUMENT_ITEMS[instrument] }, (_, i) => Number(answers[i] ?? ''));

/** Each dimension rated 0–4; a placement other than the computed one needs its reason. */
export function assessmentProblems(form: AssessmentForm): FieldErrors {
  const errors: FieldErrors = {};
  DIMENSIONS.forEach((name, i) => {
    if (!/^[0-4]$/.test(form.ratings[i] ?? '')) errors[`dimensionRatings.${i}`] = `Rate ${name} from 0 to 4.`;
  });
  if (form.overrideLevel !== '' && form.overrideReason === '') {
    errors['overrideReason'] = 'Say why the placement differs from the computed level.';
  }
  if (form.overrideLevel === '' && form.overrideReason !== '') {
    errors['overrideLevel'] = 'Choose the level placed at, or clear the reason.';
  }
  return errors;
}

export function assessmentBody(form: AssessmentForm, assessedAt: string): AssessBody {
  return {
    dimensionRatings: form.ratings.map(Number),
    assessedAt,
    ...(form.overrideLevel === '' ? {} : { overrideLevel: form.overrideLevel }),
    ...(form.overrideReason === '' ? {} : { overrideReason: form.overrideReason }),
  };
}

export function admissionProblems(form: AdmissionForm): FieldErrors {
  return {
    ...(form.programTrackId === '' ? { programTrackId: 'Choose the track.' } : {}),
    ...(!UUID.test(form.primaryCounselorId.trim())
      ? { primaryCounselorId: 'Give the primary counselor’s staff id.' }
      : {}),
    ...(parseDate(form.admittedOn) === undefined ? { admittedOn: 'Give the first day (YYYY-MM-DD).' } : {}),
  };
}

/**
 * Places a service's refusal on the form: each `errors[].field` the form shows goes beside that field (an
 * unknown sub-field, e.g. `address.city`, beside the nearest field shown, `address`); the rest, and a refusal
 * without fields (403, 409), is the step's own message.
 */
export function placeProblem(
  error: unknown,
  shown: readonly string[],
): { fields: FieldErrors; general: unknown } {
  if (!(error instanceof ApiProblem) || error.fields.length === 0) return { fields: {}, general: error };
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const { field, problems } of error.fields) {
    const target = nearestShown(field, shown);
    if (target === undefined) rest.push(...problems);
    else fields[target] = [fields[target], ...problems].filter((p) => p !== undefined).join(' ');
  }
  return {
    fields,
    general:
      rest.length === 0
        ? undefined
        : new ApiProblem(error.status, error.code, error.title, rest.join(' '), error.requestId),
  };
}

function nearestShown(field: string, shown: readonly string[]): string | undefined {
  for (let parts = field.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const candidate = parts.join('.');
    if (shown.includes(candidate)) return candidate;
  }
  return undefined;
}

/** The referral statuses an intake may still go on from. */
export const OPEN_STATUSES: readonly Referral['status'][] = ['received', 'screening', 'assessed'];

/**
 * Where a resumed intake goes on: registration while the referral has no client, admission once there is an
 * assessment, screenings otherwise. A client already admitted, or a referral closed, has nothing left to do.
 */
export function resumeAt(state: {
  referral: Referral | undefined;
  client: Client | undefined;
  assessments: readonly Assessment[];
  episode: Episode | undefined;
}): Step | 'done' | 'closed' {
  if (state.episode !== undefined) return 'done';
  if (state.referral !== undefined && !OPEN_STATUSES.includes(state.referral.status)) return 'closed';
  if (state.client === undefined) return state.referral === undefined ? 'referral' : 'client';
  return state.assessments.length > 0 ? 'admission' : 'screenings';
}

/**
 * The referral moves that match reaching a step: screenings begin (received → screening), the assessment is
 * made (→ assessed). Only forward, from an open status; an admission then closes the referral itself.
 */
export function referralMoves(
  status: Referral['status'] | undefined,
  reached: Step,
): ('screening' | 'assessed')[] {
  const path: ('screening' | 'assessed')[] =
    reached === 'screenings' || reached === 'assessment'
      ? ['screening']
      : reached === 'admission'
        ? ['screening', 'assessed']
        : [];
  const done = status === 'received' ? 0 : status === 'screening' ? 1 : status === 'assessed' ? 2 : undefined;
  return done === undefined ? [] : path.slice(done);
}
