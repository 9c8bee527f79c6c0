import { EVENT_DEFINITIONS, type EventTypeName } from '@stepwise/contracts';
import { JOB } from '../promql';
import { type DashboardSpec, type PanelSpec } from './dashboard-spec';

/** A selector of a program metric narrowed to the dashboard's `site` variable. */
function sel(metric: string, ...matchers: string[]): string {
  return `${metric}{${[JOB, 'site=~"$site"', ...matchers].join(', ')}}`;
}
/**
 * A gauge intake reads from its database at each scrape: every replica reports the same value, so replicas are
 * collapsed first (`max by` the gauge's own labels: one series per fact, whichever replica said it), then summed.
 * A plain `sum` would count each client once per replica.
 */
function fromDatabase(metric: string, labels: string): string {
  return `max by (${labels}) (${sel(metric)})`;
}
const CENSUS = (): string => fromDatabase('stepwise_active_clients', 'site, level, population');
/** Program figures are counted in days and weeks, not per second: clinical operations read them that way. */
const DAY = '[1d]';
const WEEK = '[7d]';

/** A `type=~"…"` matcher over events of the contract, so a renamed event fails generation instead of going blank. */
function eventTypes(...names: EventTypeName[]): string {
  const ceTypes = names.map((name) => {
    const definition = EVENT_DEFINITIONS.find((candidate) => candidate.type === name);
    if (definition === undefined) throw new Error(`No event ${name} in the contract`);
    // A PromQL string holds the regex, so a literal dot is `\\.` in PromQL (and `\\\\.` here).
    return definition.ceType.replace(/\./g, '\\\\.');
  });
  return `type=~"${ceTypes.join('|')}"`;
}

const census: PanelSpec[] = [
  {
    title: 'Active clients',
    description: 'Clients in an active episode of care at the selected sites.',
    kind: 'stat',
    unit: 'short',
    width: 6,
    queries: [{ expr: `sum(${CENSUS()})`, legend: 'active' }],
  },
  {
    title: 'Census by level of care',
    description: 'Active clients by ASAM level of care (2.1 intensive outpatient, 1 outpatient, …).',
    kind: 'timeseries',
    unit: 'short',
    width: 9,
    queries: [{ expr: `sum by (level) (${CENSUS()})`, legend: 'level {{level}}' }],
  },
  {
    title: 'Census by population',
    description: 'Active clients by population (adult, adolescent).',
    kind: 'timeseries',
    unit: 'short',
    width: 9,
    queries: [{ expr: `sum by (population) (${CENSUS()})`, legend: '{{population}}' }],
  },
];

const flow: PanelSpec[] = [
  {
    title: 'Admissions per day by level',
    description: 'Episodes of care opened in the last 24 hours, by admitted level of care.',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      {
        expr: `sum by (level) (increase(${sel('stepwise_admissions_total')}${DAY}))`,
        legend: 'level {{level}}',
      },
    ],
  },
  {
    title: 'Discharges per day by reason',
    description:
      'Episodes closed in the last 24 hours: completed, transferred, left against advice, administrative.',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      { expr: `sum by (reason) (increase(${sel('stepwise_discharges_total')}${DAY}))`, legend: '{{reason}}' },
    ],
  },
];

const engagement: PanelSpec[] = [
  {
    title: 'Attendance rate (7 days)',
    description: 'Sessions attended out of sessions documented (attended or missed) over the last 7 days.',
    kind: 'timeseries',
    unit: 'percentunit',
    queries: [
      {
        expr:
          `sum(increase(${sel('stepwise_session_attendance_total', 'outcome="attended"')}${WEEK}))` +
          ` / sum(increase(${sel('stepwise_session_attendance_total')}${WEEK}))`,
        legend: 'attendance',
      },
    ],
  },
  {
    title: 'Weekly-hours shortfalls (7 days)',
    description:
      'Closed treatment weeks short of the weekly minimum hours of the level of care, per site and level. A site whose shortfalls jump above its usual weeks fires WeeklyHoursShortfallSpike.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (site, level) (increase(${sel('stepwise_weekly_hours_shortfalls_total')}${WEEK}))`,
        legend: '{{site}} level {{level}}',
      },
    ],
  },
  {
    title: 'Drug screens positive rate (7 days)',
    description: 'Positive results out of every drug screen resulted over the last 7 days.',
    kind: 'timeseries',
    unit: 'percentunit',
    queries: [
      {
        expr:
          `sum(increase(${sel('stepwise_drug_screens_total', 'result="positive"')}${WEEK}))` +
          ` / sum(increase(${sel('stepwise_drug_screens_total')}${WEEK}))`,
        legend: 'positive',
      },
    ],
  },
];

const levelOfCare: PanelSpec[] = [
  {
    title: 'Open level-of-care reviews',
    description: 'Step-down and step-up reviews waiting for a clinician decision.',
    kind: 'timeseries',
    unit: 'short',
    width: 6,
    queries: [
      {
        expr: `sum by (direction) (${fromDatabase('stepwise_open_level_of_care_reviews', 'site, direction')})`,
        legend: '{{direction}}',
      },
    ],
  },
  {
    title: 'Oldest open review',
    description:
      'Age of the oldest review waiting for a decision: reviews are meant to be decided within days.',
    kind: 'timeseries',
    unit: 's',
    width: 6,
    queries: [
      {
        expr: `max by (direction) (${sel('stepwise_open_level_of_care_review_oldest_age_seconds')})`,
        legend: '{{direction}}',
      },
    ],
  },
  {
    title: 'Recommended and approved (7 days)',
    description:
      'Step-downs and step-ups the clinical rules recommended, and those a clinician approved, over the last 7 days.',
    kind: 'timeseries',
    unit: 'short',
    width: 12,
    queries: [
      {
        expr: `sum by (direction) (increase(${sel('stepwise_level_of_care_recommendations_total')}${WEEK}))`,
        legend: '{{direction}} recommended',
      },
      {
        expr: `sum by (direction) (increase(${sel('stepwise_level_of_care_decisions_total', 'decision="approved"')}${WEEK}))`,
        legend: '{{direction}} approved',
      },
    ],
  },
];

/** Notifications carry no site: the delivery log holds recipients, not clinics, so these rows show the network. */
function notifications(outcome: string, title: string, description: string): PanelSpec {
  return {
    title,
    description,
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (channel, reason) (increase(stepwise_notifications_total{${JOB}, outcome="${outcome}"}${DAY}))`,
        legend: outcome === 'sent' ? '{{channel}}' : '{{channel}} {{reason}}',
      },
    ],
  };
}

const notificationPanels: PanelSpec[] = [
  notifications(
    'sent',
    'Notifications sent per day',
    'Reminders, alerts and family updates delivered, by channel (all sites).',
  ),
  notifications(
    'suppressed',
    'Notifications suppressed per day by reason',
    'Not sent on purpose (all sites): no or revoked consent, opted out, … — a rising consent suppression is worth a look.',
  ),
  notifications(
    'failed',
    'Notifications failed per day by reason',
    'Given up after every retry (all sites), by error code. NotificationFailures fires when more than 5% fail.',
  ),
];

const PROGRAM_EVENTS = eventTypes(
  'ClientAdmitted',
  'ClientDischarged',
  'SessionAttended',
  'SessionMissed',
  'WeeklyHoursShortfall',
  'StepDownRecommended',
  'StepUpRecommended',
  'LevelOfCareChanged',
  'DrugScreenResulted',
);

const networkEvents: PanelSpec[] = [
  {
    title: 'Program events per day (all sites)',
    description:
      'The program events the services published in the last 24 hours, by type: the network-wide picture, from the relays, while the per-site counters above are being adopted.',
    kind: 'timeseries',
    unit: 'short',
    width: 24,
    queries: [
      {
        expr: `sum by (type) (increase(stepwise_events_published_total{${JOB}, ${PROGRAM_EVENTS}}${DAY}))`,
        legend: '{{type}}',
      },
    ],
  },
];

export const PROGRAM_DASHBOARD: DashboardSpec = {
  uid: 'stepwise-program',
  title: 'Stepwise / Program',
  description:
    'For clinical operations managers, per site: census, admissions and discharges, attendance, weekly hours, level-of-care reviews, drug screens and notifications. No client appears here: every figure is a count by site and code. Generated by tools/observability.',
  tags: ['stepwise', 'generated', 'program'],
  refresh: '5m',
  timeFrom: 'now-30d',
  variables: [{ name: 'site', label: 'Site', metric: `stepwise_active_clients{${JOB}}`, labelName: 'site' }],
  rows: [
    { title: 'Census', panels: census },
    { title: 'Admissions and discharges', panels: flow },
    { title: 'Attendance, weekly hours and drug screens', panels: engagement },
    { title: 'Level-of-care reviews', panels: levelOfCare },
    { title: 'Notifications', panels: notificationPanels },
    { title: 'Network event flow', panels: networkEvents },
  ],
};
