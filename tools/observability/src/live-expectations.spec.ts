import { METRIC_CATALOGUE } from '@stepwise/contracts';
import { allObservabilityExpressions } from './expressions';
import { QUIET_IN_A_HEALTHY_RUN, liveExpectation, matches } from './live-expectations';

const expressions = allObservabilityExpressions();

describe('what a live Prometheus should answer for each expression', () => {
  it('names no stale case: every quiet rule matches an expression and names catalogued metrics', () => {
    const catalogued = new Set(METRIC_CATALOGUE.map((m) => m.name));
    for (const rule of QUIET_IN_A_HEALTHY_RUN) {
      expect([rule.reason, expressions.some((e) => matches(rule, e))]).toEqual([rule.reason, true]);
      expect((rule.metrics ?? []).filter((name) => !catalogued.has(name))).toEqual([]);
    }
  });

  it('expects data from most expressions, and proves the dead-letter ones with a poison record', () => {
    const kinds = expressions.map(liveExpectation);
    expect(kinds.filter((k) => k.kind === 'data').length).toBeGreaterThan(25);
    const proven = expressions.filter((e) => {
      const expectation = liveExpectation(e);
      return expectation.kind === 'quiet' && expectation.provenBy === 'poison-record';
    });
    expect(proven.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        'alert/DeadLetterRecorded',
        'stepwise-platform/Dead letters by reason (per hour)#28',
      ]),
    );
  });

  it('expects suppressed notifications: fan-out no-consent ones count, and a healthy cohort has clients without consent', () => {
    const suppressed = expressions.filter((e) => e.expr.includes('outcome="suppressed"'));
    expect(suppressed.map((e) => e.id)).toEqual([
      expect.stringContaining('stepwise-program/Notifications suppressed per day by reason'),
    ]);
    expect(suppressed.map((e) => liveExpectation(e).kind)).toEqual(['data']);
  });

  it('derives "planned" from the catalogue alone: once every metric read is served, data is required', () => {
    for (const e of expressions) {
      const kind = liveExpectation(e).kind;
      if (kind === 'quiet') continue;
      expect([e.id, kind]).toEqual([e.id, e.readsPlannedMetric ? 'planned' : 'data']);
    }
  });

  it('treats every alert as a condition that may stay empty in a healthy run', () => {
    for (const e of expressions.filter((x) => x.source === 'alert')) {
      expect([e.id, liveExpectation(e).kind]).toEqual([e.id, 'quiet']);
    }
  });
});
