import { buildObservabilityArtifacts, findObservabilityDrift } from './artifacts';

describe('committed dashboards and rule file', () => {
  it('are up to date with the generator', () => {
    const drifts = findObservabilityDrift();
    if (drifts.size > 0) {
      throw new Error(
        `observability/ is out of date: ${JSON.stringify([...drifts])}. ` +
          'Run `npx nx run observability:generate` and commit the result.',
      );
    }
    expect([...drifts]).toEqual([]);
  });

  it('are generated deterministically', () => {
    const first = [...buildObservabilityArtifacts()].map(([dir, files]) => [dir, [...files]]);
    const second = [...buildObservabilityArtifacts()].map(([dir, files]) => [dir, [...files]]);
    expect(second).toEqual(first);
    expect(first.map(([dir, files]) => [dir, (files as [string, string][]).map(([path]) => path)])).toEqual([
      ['observability/grafana/dashboards', ['stepwise-platform.json', 'stepwise-program.json']],
      ['observability/prometheus/rules', ['stepwise.rules.yml']],
    ]);
  });

  it('detects a changed, a missing and an extra file', () => {
    const artifacts = new Map(buildObservabilityArtifacts());
    const dashboards = new Map(artifacts.get('observability/grafana/dashboards'));
    dashboards.set('stepwise-platform.json', '{}\n');
    dashboards.set('stepwise-new.json', '{}\n');
    dashboards.delete('stepwise-program.json');
    artifacts.set('observability/grafana/dashboards', dashboards);
    expect(findObservabilityDrift(undefined, artifacts).get('observability/grafana/dashboards')).toEqual({
      missing: ['stepwise-new.json'],
      changed: ['stepwise-platform.json'],
      extra: ['stepwise-program.json'],
    });
  });
});
