/**
 * The Kafka topic map: every topic the product uses, declared once. The infrastructure tool creates them
 * from this list, and the Kubernetes `KafkaTopic` and `KafkaUser` resources in `k8s/data` are generated from
 * it (`npx nx run k8s:generate`; a test of the k8s project fails when they drift), so partitions, retention,
 * compaction and each service's access never drift between environments.
 *
 * Topic names are part of the public contract: renaming one needs a migration plan (dual publishing, then
 * consumer cut-over), never a rename in place.
 */

/** The services that own topics. */
export const SERVICES = ['intake', 'scheduling', 'sessions', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const Topics = {
  IntakeEvents: 'intake.events.v1',
  SchedulingEvents: 'scheduling.events.v1',
  SchedulingReference: 'scheduling.reference.v1',
  SessionsEvents: 'sessions.events.v1',
  NotificationsEvents: 'notifications.events.v1',
} as const;
export type TopicName = (typeof Topics)[keyof typeof Topics];

export type CleanupPolicy = 'delete' | 'compact';

export interface TopicSpec {
  readonly name: string;
  readonly owner: ServiceName;
  readonly purpose: string;
  readonly partitions: number;
  /** `-1` keeps records forever; care topics default to that so a new consumer can rebuild from the start. */
  readonly retentionMs: number;
  readonly cleanupPolicy: CleanupPolicy;
}

/**
 * Care-event topics keep every fact so projections can be rebuilt; 12 partitions let each consumer group
 * scale to 12 replicas while keeping all facts about one client (the record key) in order on one partition.
 */
const CARE_EVENT_PARTITIONS = 12;
const FOREVER = -1;
const DEAD_LETTER_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export const CARE_TOPICS: readonly TopicSpec[] = [
  {
    name: Topics.IntakeEvents,
    owner: 'intake',
    purpose:
      'Referrals, screenings, assessments, admissions, plans, consents, level-of-care changes, discharges',
    partitions: CARE_EVENT_PARTITIONS,
    retentionMs: FOREVER,
    cleanupPolicy: 'delete',
  },
  {
    name: Topics.SchedulingEvents,
    owner: 'scheduling',
    purpose: 'Enrollments, waitlists and appointments',
    partitions: CARE_EVENT_PARTITIONS,
    retentionMs: FOREVER,
    cleanupPolicy: 'delete',
  },
  {
    name: Topics.SchedulingReference,
    owner: 'scheduling',
    purpose: 'Reference data (sites, program tracks, staff): compacted, the latest value per key is kept',
    partitions: 3,
    retentionMs: FOREVER,
    cleanupPolicy: 'compact',
  },
  {
    name: Topics.SessionsEvents,
    owner: 'sessions',
    purpose:
      'Attendance, notes signed, drug screens, weekly hours, engagement and level-of-care recommendations',
    partitions: CARE_EVENT_PARTITIONS,
    retentionMs: FOREVER,
    cleanupPolicy: 'delete',
  },
  {
    name: Topics.NotificationsEvents,
    owner: 'notifications',
    purpose: 'Outcomes of notifications: sent, suppressed, failed',
    partitions: CARE_EVENT_PARTITIONS,
    retentionMs: FOREVER,
    cleanupPolicy: 'delete',
  },
];

/**
 * Dead-letter topics are per consuming service: a record one service cannot process says nothing about the
 * others, and the replay command of that service reads only its own dead letters.
 */
export function deadLetterTopic(consumer: ServiceName): string {
  return `${consumer}.dlq.v1`;
}

/** What a consumer group of a service is for, besides the service's own consumer. */
export const CONSUMER_GROUP_PURPOSES = ['dlq-replay'] as const;
export type ConsumerGroupPurpose = (typeof CONSUMER_GROUP_PURPOSES)[number];

/**
 * The consumer group of a service: `stepwise-<service>` for the consumer every replica runs, and
 * `stepwise-<service>-<purpose>` for a command's own group (the dead-letter replay reads its dead letters
 * without moving the service's offsets). The one place the names are made: the consumer, the replay command,
 * the Kafka ACLs of the service's `KafkaUser` and the lag its autoscaler watches all call it. Environments
 * sharing a cluster put their topic prefix in front (`KAFKA_TOPIC_PREFIX`), as they do for topics.
 */
export function consumerGroupId(service: ServiceName, purpose?: ConsumerGroupPurpose): string {
  return purpose === undefined ? `stepwise-${service}` : `stepwise-${service}-${purpose}`;
}

/** Every consumer group of a service: its consumer's, then one per purpose. */
export function consumerGroupIds(service: ServiceName): string[] {
  return [
    consumerGroupId(service),
    ...CONSUMER_GROUP_PURPOSES.map((purpose) => consumerGroupId(service, purpose)),
  ];
}

export const DEAD_LETTER_TOPICS: readonly TopicSpec[] = SERVICES.map((service) => ({
  name: deadLetterTopic(service),
  owner: service,
  purpose: `Records the ${service} service could not process, with the original coordinates and the error`,
  partitions: 3,
  retentionMs: DEAD_LETTER_RETENTION_MS,
  cleanupPolicy: 'delete' as const,
}));

export const ALL_TOPICS: readonly TopicSpec[] = [...CARE_TOPICS, ...DEAD_LETTER_TOPICS];

/**
 * The topics each service's consumer group (`consumerGroupId(service)`) reads. The consumer itself subscribes to the
 * topics of the event types its `@OnEvent` handlers name; this declaration states the same for what cannot ask
 * the code — the Kafka ACLs of each service's `KafkaUser` and the lag its autoscaler watches are generated from
 * it, and a test of the k8s project fails when it differs from the handlers.
 */
export const CONSUMED_TOPICS: Readonly<Record<ServiceName, readonly TopicName[]>> = {
  intake: [Topics.SchedulingReference, Topics.SessionsEvents],
  scheduling: [Topics.IntakeEvents],
  sessions: [Topics.IntakeEvents, Topics.SchedulingEvents, Topics.SchedulingReference],
  notifications: [
    Topics.IntakeEvents,
    Topics.SchedulingEvents,
    Topics.SchedulingReference,
    Topics.SessionsEvents,
  ],
};
