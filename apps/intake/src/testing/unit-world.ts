import { RecordingUnitOfWork, type UnitOfWork } from '@stepwise/messaging';
import { ManualClock, MetricsService } from '@stepwise/platform';
import {
  type AuditTrail,
  InMemoryScopedRecords,
  RecordingAuditTrail,
  type ScopedRecords,
} from '@stepwise/security';
import { type AssessmentsRepository } from '../assessments/assessments.repository';
import { type ClientsRepository } from '../clients/clients.repository';
import { type ConsentsRepository } from '../consents/consents.repository';
import { type EpisodesRepository } from '../episodes/episodes.repository';
import { ProgramCounters } from '../episodes/program-counters';
import { PlanCipher } from '../plans/plan-cipher';
import { PlanChanges } from '../plans/plan-changes';
import { type PlansRepository } from '../plans/plans.repository';
import { IntakeConfig } from '../config/intake.config';
import { type ReferenceProjection } from '../reference/reference-projection';
import { type ReferralsRepository } from '../referrals/referrals.repository';
import { type ReviewsRepository } from '../reviews/reviews.repository';
import { type ScreeningsRepository } from '../screenings/screenings.repository';
import { InMemoryAssessments } from './in-memory-assessments';
import { FakeReference } from './fake-reference';
import { aSite } from './factories';
import { InMemoryClients } from './in-memory-clients';
import { InMemoryConsents } from './in-memory-consents';
import { InMemoryEpisodes } from './in-memory-episodes';
import { InMemoryPlans } from './in-memory-plans';
import { InMemoryReferrals } from './in-memory-referrals';
import { InMemoryReviews } from './in-memory-reviews';
import { InMemoryScreenings } from './in-memory-screenings';
import { InMemoryTables } from './in-memory-tables';
import { standIn } from './stand-in';

/** The collaborators of intake's use cases as unit tests replace them, sharing one in-memory store. */
export interface UnitWorld {
  readonly tables: InMemoryTables;
  /** Records found in `tables`; the library's site check and auditing, into `audit`. */
  readonly records: InMemoryScopedRecords;
  /** The one audit trail: denials and allowed accesses of `records`, and what use cases record directly. */
  readonly audit: RecordingAuditTrail;
  readonly unitOfWork: RecordingUnitOfWork;
  readonly reference: FakeReference;
  readonly clock: ManualClock;
  readonly clients: InMemoryClients;
  readonly episodes: InMemoryEpisodes;
  readonly referrals: InMemoryReferrals;
  readonly screenings: InMemoryScreenings;
  readonly consents: InMemoryConsents;
  readonly plans: InMemoryPlans;
  readonly reviews: InMemoryReviews;
  readonly assessments: InMemoryAssessments;
  /** The real cipher with an ephemeral key: sealing is pure, and a view must open what a draft sealed. */
  readonly cipher: PlanCipher;
  /** A real Prometheus registry of its own: what the use cases count, as a scrape would read it. */
  readonly metrics: MetricsService;
}

/** A fresh world: site A projected (New York time), the clock at 2026-03-10 15:00 UTC. */
export function unitWorld(): UnitWorld {
  const tables = new InMemoryTables();
  const audit = new RecordingAuditTrail();
  const reference = new FakeReference().withSite(aSite());
  const clock = new ManualClock('2026-03-10T15:00:00Z');
  return {
    tables,
    records: new InMemoryScopedRecords({ find: (table, id) => tables.get(table, id), trail: audit, clock }),
    audit,
    unitOfWork: new RecordingUnitOfWork(),
    reference,
    clock,
    clients: new InMemoryClients(tables, reference, () => clock.now()),
    episodes: new InMemoryEpisodes(tables),
    referrals: new InMemoryReferrals(tables, reference),
    screenings: new InMemoryScreenings(tables),
    consents: new InMemoryConsents(tables),
    plans: new InMemoryPlans(tables),
    reviews: new InMemoryReviews(tables),
    assessments: new InMemoryAssessments(tables),
    cipher: new PlanCipher(new IntakeConfig()),
    metrics: new MetricsService('intake'),
  };
}

/** The world's doubles typed as the classes a use case's constructor takes. */
export interface Injected {
  readonly unitOfWork: UnitOfWork;
  readonly records: ScopedRecords;
  readonly audit: AuditTrail;
  readonly reference: ReferenceProjection;
  readonly clock: ManualClock;
  readonly clients: ClientsRepository;
  readonly episodes: EpisodesRepository;
  readonly referrals: ReferralsRepository;
  readonly screenings: ScreeningsRepository;
  readonly consents: ConsentsRepository;
  readonly plans: PlansRepository;
  readonly reviews: ReviewsRepository;
  readonly assessments: AssessmentsRepository;
  readonly cipher: PlanCipher;
  /** The opening of a plan version's change, over the world's doubles. */
  readonly planChanges: PlanChanges;
  /** The program counters, on the world's registry. */
  readonly counters: ProgramCounters;
}

export function injected(world: UnitWorld): Injected {
  const unitOfWork = standIn<UnitOfWork>(world.unitOfWork);
  const reference = standIn<ReferenceProjection>(world.reference);
  return {
    unitOfWork,
    records: world.records,
    audit: world.audit,
    reference,
    clock: world.clock,
    clients: standIn<ClientsRepository>(world.clients),
    episodes: standIn<EpisodesRepository>(world.episodes),
    referrals: standIn<ReferralsRepository>(world.referrals),
    screenings: standIn<ScreeningsRepository>(world.screenings),
    consents: standIn<ConsentsRepository>(world.consents),
    plans: standIn<PlansRepository>(world.plans),
    reviews: standIn<ReviewsRepository>(world.reviews),
    assessments: standIn<AssessmentsRepository>(world.assessments),
    cipher: world.cipher,
    planChanges: new PlanChanges(unitOfWork, world.records, reference, world.clock),
    counters: new ProgramCounters(world.metrics),
  };
}
