import { NO_DATABASE, RecordingUnitOfWork } from '@stepwise/messaging';
import { LevelOfCare, Modality, Population, SessionType, StaffRole, Weekday } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { type ProgramTrackDto, type StaffMemberDto, type UpsertSiteDto } from '../reference/reference.dto';
import { NETWORK } from './actors';
import { InMemoryScopedRecords } from '@stepwise/security';
import { InMemoryReference } from './in-memory-reference';

export const REF_NOW = '2027-01-04T09:00:00.000Z';

export const siteBody = (overrides: Partial<UpsertSiteDto> = {}): UpsertSiteDto => ({
  name: 'Riverside Clinic',
  timeZone: 'America/New_York',
  closures: ['2027-12-25', '2027-07-04'],
  active: true,
  ...overrides,
});

export const trackBody = (overrides: Partial<ProgramTrackDto> = {}): ProgramTrackDto => ({
  name: 'Adult SUD evening',
  levelOfCare: LevelOfCare.IntensiveOutpatient,
  population: Population.Adult,
  modality: Modality.InPerson,
  weeklyPattern: [
    { weekday: Weekday.Monday, start: '18:00', minutes: 180, sessionType: SessionType.ProcessGroup },
    { weekday: Weekday.Wednesday, start: '18:00', minutes: 120, sessionType: SessionType.RelapsePrevention },
  ],
  active: true,
  ...overrides,
});

export const staffMemberBody = (
  siteIds: string[],
  overrides: Partial<StaffMemberDto> = {},
): StaffMemberDto => ({
  siteIds,
  roles: [StaffRole.Counselor],
  displayName: 'Dr. Rivera',
  email: 'rivera@clinic.example',
  phone: '+15551234567',
  timeZone: 'America/New_York',
  preferredLanguage: 'en-US',
  active: true,
  ...overrides,
});

/** The collaborators of a reference use case, with sites A and B stored in the test network. */
export async function referenceWorld(...siteIds: string[]): Promise<{
  unitOfWork: RecordingUnitOfWork;
  records: InMemoryScopedRecords;
  store: InMemoryReference;
  clock: ManualClock;
}> {
  const records = new InMemoryScopedRecords({ network: NETWORK });
  const store = new InMemoryReference(records);
  const clock = new ManualClock(REF_NOW);
  const unitOfWork = new RecordingUnitOfWork();
  for (const id of siteIds) {
    await store.upsertSite(NO_DATABASE, { id, networkId: NETWORK, updatedAt: clock.now() }, siteBody());
  }
  return { unitOfWork, records, store, clock };
}
