import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_CATALOGUE } from '@stepwise/contracts';
import { parse } from 'yaml';
import { ALERT_RULES, DOCS_URL, RUNBOOK_DIR, renderRuleFile, runbookPath } from './alerts/alert-rules';
import { DASHBOARDS, WORKSPACE_ROOT } from './artifacts';

const runbooks = readdirSync(join(WORKSPACE_ROOT, RUNBOOK_DIR))
  .filter((file) => file.endsWith('.md') && file !== 'README.md')
  .map((file) => file.replace(/\.md$/, ''))
  .sort();
const doc = readFileSync(join(WORKSPACE_ROOT, 'docs/observability.md'), 'utf8');
/** A row of a Markdown table whose first cell is exactly `cell` (Prettier pads the columns). */
const hasTableRow = (cell: string): boolean =>
  doc.split('\n').some(
    (line) =>
      line.startsWith(`| ${cell} `) &&
      line
        .slice(2 + cell.length)
        .trimStart()
        .startsWith('|'),
  );

describe('runbooks', () => {
  it('exist for every alert, and only for alerts', () => {
    expect(runbooks).toEqual(ALERT_RULES.map((rule) => rule.alert).sort());
  });

  it.each(ALERT_RULES.map((rule) => [rule.alert]))(
    '%s says what it means, how to confirm it and what to do, with its severity',
    (alert) => {
      const text = readFileSync(join(WORKSPACE_ROOT, runbookPath(alert)), 'utf8');
      expect(text.startsWith(`# ${alert}\n`)).toBe(true);
      expect(text.match(/^## (Meaning|Confirm|Act)$/gm)).toEqual(['## Meaning', '## Confirm', '## Act']);
      const rule = ALERT_RULES.find((candidate) => candidate.alert === alert);
      expect(text).toContain(`**Severity** ${rule?.severity}`);
    },
  );

  it('give the real dead-letter replay command, and the projection rebuild procedure', () => {
    const text = readFileSync(join(WORKSPACE_ROOT, runbookPath('DeadLetterRecorded')), 'utf8');
    expect(text).toContain('node dist/apps/<service>/main.js replay-dead-letters');
    expect(text).toContain('../operations.md#rebuilding-a-projection');
    expect(readFileSync(join(WORKSPACE_ROOT, 'docs/operations.md'), 'utf8')).toContain(
      '### Rebuilding a projection',
    );
  });
});

/** Alert → runbook_url of a rule file's text. */
function runbookUrls(ruleFile: string): Map<string, string> {
  const { groups } = parse(ruleFile) as {
    groups: { rules: { alert?: string; annotations?: { runbook_url?: string } }[] }[];
  };
  return new Map(
    groups
      .flatMap((group) => group.rules)
      .filter((rule) => rule.alert !== undefined)
      .map((rule) => [rule.alert ?? '', rule.annotations?.runbook_url ?? '']),
  );
}

describe('runbook links', () => {
  const committed = readFileSync(
    join(WORKSPACE_ROOT, 'observability/prometheus/rules/stepwise.rules.yml'),
    'utf8',
  );

  it('are absolute URLs under the docs URL, each ending in the existing docs/runbooks/<alert>.md', () => {
    const urls = runbookUrls(committed);
    expect([...urls.keys()].sort()).toEqual(ALERT_RULES.map((rule) => rule.alert).sort());
    for (const [alert, url] of urls) {
      // Alertmanager and Grafana open the link as it is: a repository path would lead nowhere.
      expect(new URL(url).protocol).toBe('https:');
      expect(url.startsWith(`${DOCS_URL}/`)).toBe(true);
      expect(url.endsWith(`/${runbookPath(alert)}`)).toBe(true);
      expect(existsSync(join(WORKSPACE_ROOT, runbookPath(alert)))).toBe(true);
    }
  });

  it('follow a fork’s docs URL when the rule file is generated with one', () => {
    const urls = runbookUrls(renderRuleFile('https://docs.acme-health.net/stepwise/'));
    expect(urls.get('DeadLetterRecorded')).toBe(
      'https://docs.acme-health.net/stepwise/runbooks/DeadLetterRecorded.md',
    );
    expect(() => renderRuleFile('docs')).toThrow();
  });
});

describe('docs/observability.md', () => {
  it('describes every catalogued metric', () => {
    expect(
      METRIC_CATALOGUE.filter((metric) => !hasTableRow(`\`${metric.name}\``)).map((m) => m.name),
    ).toEqual([]);
  });

  it('describes every dashboard and panel', () => {
    const missing = DASHBOARDS.flatMap((spec) => [
      ...(doc.includes(`### ${spec.title}`) ? [] : [spec.title]),
      ...spec.rows
        .flatMap((row) => row.panels)
        .filter((panel) => !doc.includes(`- _${panel.title}_ — `))
        .map((p) => p.title),
    ]);
    expect(missing).toEqual([]);
  });

  it('lists every alert with its runbook', () => {
    const missing = ALERT_RULES.filter((rule) => !hasTableRow(`[${rule.alert}](runbooks/${rule.alert}.md)`));
    expect(missing.map((rule) => rule.alert)).toEqual([]);
  });
});
