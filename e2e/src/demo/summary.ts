import { type CareEventWatch } from '../client/care-events';
import { type ClosedWeek, type SiteBilling } from './cohort';

export interface DemoFigures {
  readonly admissions: number;
  readonly stepDowns: number;
  readonly stepUps: number;
  readonly levelChanges: number;
  readonly notificationsSent: number;
  readonly suppressedForConsent: number;
  /** Routine messages held until the recipient's quiet hours end (at night most alerts and updates are). */
  readonly heldForQuietHours: number;
  readonly suppressedOther: number;
  readonly deadLettered: number;
  /** WeeklyHoursShortfall events: raised when a week closed, with the minutes documented by then. */
  readonly shortfallAlerts: number;
  /** WeeklyHoursRecalculated: closed weeks corrected by late documentation, and those whose shortfall it resolved. */
  readonly weeksRecalculated: number;
  readonly shortfallsResolved: number;
  /** MAT: clients with a MAT medication, screens read as the expected medication (no use), possible diversions. */
  readonly matClients: number;
  readonly expectedMedicationScreens: number;
  readonly possibleDiversions: number;
  /** Rule sets a network administrator loaded (their ids), and the recommendations made under each version. */
  readonly ruleSetsLoaded: readonly string[];
  readonly recommendationsByRuleSet: ReadonlyMap<string, number>;
  /** ClientTransferred: clients who moved to another clinic of the network. */
  readonly transfers: number;
  /** Family sessions with family members recorded, and the family members recorded present. */
  readonly familySessions: number;
  readonly familyMembersPresent: number;
  /** AuthorizationUnitsLow and AuthorizationExpiring: payer authorizations the billers were alerted about. */
  readonly authorizationAlerts: number;
}

/** The closed weeks as the progress summaries show them at the end of the cohort. */
export interface WeekFigures {
  readonly closed: number;
  readonly short: number;
  /** Weeks whose short flag disagrees with their attended and required minutes: must be 0. */
  readonly disagreeing: number;
}

export function weekFigures(weeks: readonly ClosedWeek[]): WeekFigures {
  return {
    closed: weeks.length,
    short: weeks.filter((w) => w.short).length,
    disagreeing: weeks.filter(
      (w) => w.short !== w.attendedMinutes < w.requiredMinutes || w.attendedMinutes !== w.documentedMinutes,
    ).length,
  };
}

/** Suppressions that are the consent check at work (SuppressionReason in the contracts). */
const CONSENT_REASONS = new Set(['no-consent', 'consent-revoked']);

/** The demo's figures, from the events every subscriber sees (no service internals). */
export function figures(watch: CareEventWatch): DemoFigures {
  const suppressed = watch.ofType('NotificationSuppressed');
  const reason = (e: { data: Record<string, unknown> }): string => String(e.data['reason'] ?? '');
  const forConsent = suppressed.filter((e) => CONSENT_REASONS.has(reason(e))).length;
  const quietHours = suppressed.filter((e) => reason(e) === 'quiet-hours-deferred').length;
  return {
    admissions: watch.ofType('ClientAdmitted').length,
    stepDowns: watch.ofType('StepDownRecommended').length,
    stepUps: watch.ofType('StepUpRecommended').length,
    levelChanges: watch.ofType('LevelOfCareChanged').length,
    notificationsSent: watch.ofType('NotificationSent').length,
    suppressedForConsent: forConsent,
    heldForQuietHours: quietHours,
    suppressedOther: suppressed.length - forConsent - quietHours,
    deadLettered: watch.deadLetters.length,
    shortfallAlerts: watch.ofType('WeeklyHoursShortfall').length,
    weeksRecalculated: watch.ofType('WeeklyHoursRecalculated').length,
    shortfallsResolved: watch
      .ofType('WeeklyHoursRecalculated')
      .filter((e) => e.data['shortBefore'] === true && e.data['short'] === false).length,
    matClients: new Set(
      watch
        .ofType('MedicationStarted')
        .filter((e) => e.data['mat'] === true)
        .map((e) => String(e.data['clientId'])),
    ).size,
    expectedMedicationScreens: watch
      .ofType('DrugScreenResulted')
      .filter((e) => e.data['interpretation'] === 'expected-medication').length,
    possibleDiversions: watch.ofType('PossibleMedicationDiversion').length,
    ruleSetsLoaded: watch.ofType('CareRuleSetLoaded').map((e) => String(e.data['ruleSetId'])),
    recommendationsByRuleSet: countBy(
      [...watch.ofType('StepDownRecommended'), ...watch.ofType('StepUpRecommended')],
      (e) => String(e.data['ruleSetVersion']),
    ),
    transfers: watch.ofType('ClientTransferred').length,
    familySessions: new Set(
      watch.ofType('FamilyParticipationRecorded').map((e) => String(e.data['appointmentId'])),
    ).size,
    familyMembersPresent: watch
      .ofType('FamilyParticipationRecorded')
      .flatMap((e) => (e.data['participants'] as { status: string }[] | undefined) ?? [])
      .filter((p) => p.status === 'present').length,
    authorizationAlerts:
      watch.ofType('AuthorizationUnitsLow').length + watch.ofType('AuthorizationExpiring').length,
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** True when every site's export accounts for exactly the attendance the cohort documented there. */
export function billingReconciles(billing: readonly SiteBilling[]): boolean {
  return (
    billing.length > 0 &&
    billing.every(
      (b) => b.exportedRecords === b.documentedRecords && b.exportedMinutes === b.documentedMinutes,
    )
  );
}

const listed = (counts: ReadonlyMap<string, number>): string =>
  [...counts.entries()].map(([key, n]) => `${key} ${n}`).join(', ') || 'none';

/** Each site's billing export: what it bills, what it does not and why, and whether it reconciles. */
function billingLines(billing: readonly SiteBilling[]): string[] {
  return billing.flatMap((b) => [
    `  Billing, ${b.site.name.padEnd(17)} ${b.from} to ${b.to}: ${b.billedDays} billable days (${listed(b.codes)}; ${b.billedUnits} units),`,
    `                             ${b.unbilledDays} attended days not billed (${listed(b.unbilledReasons)});`,
    `                             ${b.exportedRecords} attendance records, ${b.exportedMinutes} minutes against ${b.documentedRecords} and ${b.documentedMinutes} documented ` +
      (b.exportedRecords === b.documentedRecords && b.exportedMinutes === b.documentedMinutes
        ? '(reconciles)'
        : '(DOES NOT RECONCILE)'),
  ]);
}

/** A plain-text summary: events by type, the pathway's figures, and where to look next. */
export function renderSummary(
  watch: CareEventWatch,
  urls: Readonly<Record<string, string>>,
  weeks: WeekFigures,
  /** The ops tools' lines (Prometheus), already indented. */
  toolLinks: readonly string[] = [],
  billing: readonly SiteBilling[] = [],
): string {
  const f = figures(watch);
  const byType = [...watch.countsByType().entries()].map(
    ([type, count]) => `    ${type.padEnd(28)} ${count}`,
  );
  const links = Object.entries(urls).flatMap(([service, url]) => [
    `    ${service.padEnd(14)} API docs ${url}/docs   metrics ${url}/metrics   ready ${url}/health/ready`,
  ]);
  return [
    '',
    '================ Stepwise demo: summary ================',
    `  Events by type (${watch.events.length} in all):`,
    ...byType,
    '',
    `  Admissions ............... ${f.admissions}`,
    `  Step-downs recommended ... ${f.stepDowns}`,
    `  Step-ups recommended ..... ${f.stepUps}`,
    `  Level-of-care changes .... ${f.levelChanges}`,
    `  Notifications sent ....... ${f.notificationsSent}`,
    `  Suppressed (consent) ..... ${f.suppressedForConsent}`,
    `  Held for quiet hours ..... ${f.heldForQuietHours}`,
    `  Suppressed (other) ....... ${f.suppressedOther}`,
    `  Dead-lettered ............ ${f.deadLettered}`,
    '',
    `  Closed weeks ............. ${weeks.closed}: ${weeks.short} short of their level's weekly minimum,`,
    `                             ${weeks.disagreeing} whose flag disagrees with the minutes documented`,
    `  Shortfall alerts ......... ${f.shortfallAlerts} (raised when a week closed, 48 h after it ended)`,
    `  Late documentation ....... ${f.weeksRecalculated} closed weeks recalculated, ${f.shortfallsResolved} shortfalls resolved (alerts withdrawn)`,
    `  MAT clients .............. ${f.matClients}: ${f.expectedMedicationScreens} screens showing only the prescribed medication (no relapse),`,
    `                             ${f.possibleDiversions} possible diversions alerted`,
    `  Rule sets loaded ......... ${f.ruleSetsLoaded.length === 0 ? 'none (the illustrative defaults are in force)' : f.ruleSetsLoaded.join(', ')}`,
    `  Recommendations by rule set: ${
      [...f.recommendationsByRuleSet.entries()].map(([id, n]) => `${id} ${n}`).join(', ') || 'none'
    }`,
    `  Site transfers ........... ${f.transfers} (alerts and reminders follow the client to the new clinic)`,
    `  Family sessions .......... ${f.familySessions}: ${f.familyMembersPresent} family member(s) present (ids only, apart from the client's hours)`,
    `  Authorization alerts ..... ${f.authorizationAlerts} (units low or expiring, to each site's biller)`,
    ...billingLines(billing),
    '',
    '  Where to look:',
    ...links,
    ...toolLinks,
    '    event contract  libs/contracts/generated/events.md (AsyncAPI: libs/contracts/generated/asyncapi.json)',
    '    service logs    .infra/services/<service>.log',
    '=========================================================',
  ].join('\n');
}
