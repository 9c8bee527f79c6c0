import { randomUUID } from 'node:crypto';
import { type EncodedMessage, LevelOfCare, Modality, Population, encodeEvent } from '@stepwise/contracts';

/**
 * Test data shared by the intake integration specs (no test-library imports here: specs pass in what runs).
 * The canaries are distinctive PHI values seeded through the API; no event may ever contain one.
 */
export const CANARY = {
  givenName: 'Zebediah',
  familyName: 'Quillfeather',
  dateOfBirth: '1987-02-19',
  phone: '+15555550147',
  email: 'zebediah.quillfeather@canary.example',
  street: '77 Canary Lane',
  referrerName: 'Dr Ottoline Marchbanks',
  referrerPhone: '+15555550199',
  referrerEmail: 'ottoline.marchbanks@canary.example',
  recipientName: 'Philomena Quillfeather',
  recipientEmail: 'philomena@canary.example',
} as const;

export const CANARY_VALUES: readonly string[] = [
  ...Object.values(CANARY),
  CANARY.givenName.toLowerCase(),
  CANARY.familyName.toLowerCase(),
  '5555550147',
];

/** A network with two sites (A and B) and tracks, as scheduling would publish them. */
export interface ReferenceWorld {
  readonly networkId: string;
  readonly siteA: string;
  readonly siteB: string;
  readonly adultIopA: string;
  readonly adultOpA: string;
  readonly adolescentIopA: string;
  readonly adultIopB: string;
  readonly inactiveTrackA: string;
}

export function newReferenceWorld(): ReferenceWorld {
  return {
    networkId: randomUUID(),
    siteA: randomUUID(),
    siteB: randomUUID(),
    adultIopA: randomUUID(),
    adultOpA: randomUUID(),
    adolescentIopA: randomUUID(),
    adultIopB: randomUUID(),
    inactiveTrackA: randomUUID(),
  };
}

export const track = (
  programTrackId: string,
  siteId: string,
  levelOfCare: LevelOfCare,
  population: Population,
  active = true,
  updatedAt = new Date(),
): EncodedMessage =>
  encodeEvent('ProgramTrackUpserted', {
    programTrackId,
    siteId,
    name: 'Evening track',
    levelOfCare,
    population,
    weeklyPattern: [],
    plannedWeeklyMinutes: 540,
    modality: Modality.InPerson,
    active,
    updatedAt: updatedAt.toISOString(),
  });

/** The reference events of the world, to publish on scheduling.reference.v1. */
export function referenceEvents(world: ReferenceWorld): EncodedMessage[] {
  const site = (siteId: string, timeZone: string): EncodedMessage =>
    encodeEvent('SiteUpserted', {
      siteId,
      networkId: world.networkId,
      name: 'Riverside clinic',
      timeZone,
      closures: [],
      active: true,
      updatedAt: new Date().toISOString(),
    });
  return [
    site(world.siteA, 'America/Chicago'),
    site(world.siteB, 'America/New_York'),
    track(world.adultIopA, world.siteA, LevelOfCare.IntensiveOutpatient, Population.Adult),
    track(world.adultOpA, world.siteA, LevelOfCare.Outpatient, Population.Adult),
    track(world.adolescentIopA, world.siteA, LevelOfCare.IntensiveOutpatient, Population.Adolescent),
    track(world.adultIopB, world.siteB, LevelOfCare.IntensiveOutpatient, Population.Adult),
    track(world.inactiveTrackA, world.siteA, LevelOfCare.IntensiveOutpatient, Population.Adult, false),
  ];
}

export const referralBody = (siteId: string): Record<string, unknown> => ({
  siteId,
  source: 'physician',
  reasonCode: 'substance-use',
  referrer: {
    name: CANARY.referrerName,
    organization: 'Lakeside Family Medicine',
    phone: CANARY.referrerPhone,
    email: CANARY.referrerEmail,
  },
});

export const clientBody = (siteId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  siteId,
  givenName: CANARY.givenName,
  familyName: CANARY.familyName,
  dateOfBirth: CANARY.dateOfBirth,
  pronouns: 'he/him',
  preferredLanguage: 'en-US',
  timeZone: 'America/Chicago',
  phone: CANARY.phone,
  email: CANARY.email,
  address: { line1: CANARY.street, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  ...extra,
});

export const admissionBody = (
  siteId: string,
  programTrackId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  siteId,
  programTrackId,
  levelOfCare: LevelOfCare.IntensiveOutpatient,
  population: Population.Adult,
  primaryCounselorId: '0196a1b2-0000-7000-8000-00000000c001',
  admittedOn: '2026-03-02',
  ...extra,
});

/** A step-down (2.1 → 1) or step-up (2.1 → 2.5) recommendation from sessions about an episode. */
export function recommendation(
  type: 'StepDownRecommended' | 'StepUpRecommended',
  episode: { clientId: string; episodeId: string; siteId: string },
  recommendationId: string = randomUUID(),
): EncodedMessage {
  return encodeEvent(type, {
    recommendationId,
    ...episode,
    fromLevel: LevelOfCare.IntensiveOutpatient,
    toLevel: type === 'StepDownRecommended' ? LevelOfCare.Outpatient : LevelOfCare.PartialHospitalization,
    evidence: {
      weeksInProgram: 8,
      attendanceRate: 0.95,
      consecutiveNegativeScreens: 6,
      recentPositiveScreens: 0,
      consecutiveAbsences: 0,
      goalsMet: 3,
      goalsTotal: 4,
      latestAssessmentId: randomUUID(),
      dimensionRatings: [0, 0, 1, 1, 1, 1],
    },
    ruleSetVersion: 'progress-rules@1',
    recommendedAt: '2026-04-27T12:00:00.000Z',
  });
}

/** A complete §2.31 consent for a family member (the recipient's name is a canary). */
export const consentBody = (
  disclosingProgramId: string,
  recipientId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  disclosingProgramId,
  informationCategories: ['attendance', 'schedule'],
  recipient: { kind: 'family-member', id: recipientId, name: CANARY.recipientName },
  purposes: ['family-involvement'],
  expiresAt: '2099-01-01T00:00:00Z',
  signature: { signedBy: 'client', signedOn: '2026-01-15' },
  rightToRevokeAcknowledged: true,
  ...extra,
});

/** A plan of one problem with two goals (its free text is a canary too: plan text never leaves intake). */
export const planBody = (
  goalIds: readonly (string | undefined)[] = [undefined, undefined],
): Record<string, unknown> => ({
  problems: [
    {
      description: `Alcohol use disorder, ${CANARY.givenName} reports daily use`,
      goals: goalIds.map((id, index) => ({
        ...(id === undefined ? {} : { id }),
        description: `Goal ${index + 1}: sustain abstinence`,
        objectives: [
          { description: 'Attend 3 groups a week', measure: 'attendance records', targetDate: '2026-04-30' },
        ],
        interventions: [
          { description: 'Relapse prevention group', sessionType: 'relapse-prevention', frequency: 'weekly' },
        ],
      })),
    },
  ],
});
