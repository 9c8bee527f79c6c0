/** Vocabularies describing programs, tracks, appointments and staff. */

export enum Population {
  Adult = 'adult',
  Adolescent = 'adolescent',
}

export enum Modality {
  InPerson = 'in-person',
  Telehealth = 'telehealth',
}

export enum SessionType {
  ProcessGroup = 'process-group',
  Psychoeducation = 'psychoeducation',
  SkillsDevelopment = 'skills-development',
  RelapsePrevention = 'relapse-prevention',
  RefusalSkills = 'refusal-skills',
  FamilyGroup = 'family-group',
  IndividualCounseling = 'individual-counseling',
  FamilyTherapy = 'family-therapy',
  LifeSkills = 'life-skills',
  Mindfulness = 'mindfulness',
  PeerSupport = 'peer-support',
}

/** AppointmentScheduled.kind */
export enum AppointmentKind {
  Group = 'group',
  Individual = 'individual',
  Family = 'family',
}

/** ISO weekdays, Monday first (weeks are ISO weeks in the site's time zone). */
export enum Weekday {
  Monday = 'monday',
  Tuesday = 'tuesday',
  Wednesday = 'wednesday',
  Thursday = 'thursday',
  Friday = 'friday',
  Saturday = 'saturday',
  Sunday = 'sunday',
}

/** Staff roles as carried in tokens and in StaffMemberUpserted.roles. `service` is a machine role, not staff. */
export enum StaffRole {
  IntakeCoordinator = 'intake-coordinator',
  Counselor = 'counselor',
  ClinicalSupervisor = 'clinical-supervisor',
  ProgramDirector = 'program-director',
  SiteAdmin = 'site-admin',
  NetworkAdmin = 'network-admin',
  Billing = 'billing',
  Auditor = 'auditor',
}
