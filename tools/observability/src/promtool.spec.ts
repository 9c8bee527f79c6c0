import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrometheusBinaries, type PrometheusBinaries } from '@stepwise/infra';
import { ALERT_RULES } from './alerts/alert-rules';
import { WORKSPACE_ROOT } from './artifacts';

const PROMETHEUS_DIR = join(WORKSPACE_ROOT, 'observability', 'prometheus');
const TESTS_DIR = join(PROMETHEUS_DIR, 'tests');
const testFiles = readdirSync(TESTS_DIR).filter((file) => file.endsWith('.test.yml'));

function promtool(binaries: PrometheusBinaries, args: string[], cwd = WORKSPACE_ROOT): string {
  const result = spawnSync(binaries.promtool, args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0)
    throw new Error(`promtool ${args.join(' ')} failed (${result.status}):\n${output}`);
  return output;
}

// No skip when promtool is missing: ensurePrometheusBinaries fetches Debian's package or throws.
describe('Prometheus rule and configuration files (promtool)', () => {
  let binaries: PrometheusBinaries;

  beforeAll(() => {
    binaries = ensurePrometheusBinaries((line) => process.stderr.write(`${line}\n`));
  }, 300_000);

  it('the generated rule file passes `promtool check rules`', () => {
    const output = promtool(binaries, [
      'check',
      'rules',
      'observability/prometheus/rules/stepwise.rules.yml',
    ]);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("the compose profile's scrape configuration passes `promtool check config`, with the rule file it loads", () => {
    const output = promtool(binaries, ['check', 'config', 'observability/prometheus/prometheus.yml']);
    expect(output).toContain('is valid prometheus config file syntax');
    expect(output).toContain('SUCCESS: 1 rule files found');
  });

  it('the rule unit tests pass `promtool test rules`', () => {
    const output = promtool(binaries, ['test', 'rules', ...testFiles], TESTS_DIR);
    expect(output.match(/SUCCESS/g)).toHaveLength(testFiles.length);
  }, 120_000);

  it('the rule unit tests cover every alert, firing and silent', () => {
    const tests = testFiles.map((file) => readFileSync(join(TESTS_DIR, file), 'utf8')).join('\n');
    const missing = ALERT_RULES.filter((rule) => {
      const cases = [
        ...tests.matchAll(new RegExp(`alertname: ${rule.alert}\\n\\s+exp_alerts:( \\[\\])?`, 'g')),
      ];
      return !cases.some((c) => c[1] !== undefined) || !cases.some((c) => c[1] === undefined);
    });
    expect(missing.map((rule) => rule.alert)).toEqual([]);
  });

  it('promtool rejects a rule that does not parse (the check can fail)', () => {
    const rules = spawnSync(binaries.promtool, ['check', 'rules', '/dev/stdin'], {
      input: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum by (x (up)\n',
      encoding: 'utf8',
    });
    expect(rules.status).not.toBe(0);
  });
});
