import { buildContractArtifacts, findArtifactDrift, isUpToDate } from './artifacts';

describe('committed contract artifacts', () => {
  it('are up to date with the payload classes', () => {
    const drift = findArtifactDrift();
    if (!isUpToDate(drift)) {
      throw new Error(
        `libs/contracts/generated is out of date: ${JSON.stringify(drift)}. ` +
          'Run `npx tsx tools/contracts/generate.ts` and commit the result.',
      );
    }
    expect(drift).toEqual({ missing: [], changed: [], extra: [] });
  });

  it('are generated deterministically', () => {
    const first = buildContractArtifacts();
    const second = buildContractArtifacts();
    expect([...second.entries()]).toEqual([...first.entries()]);
    expect(first.size).toBe(49);
  });

  it('detects a changed, a missing and an extra file', () => {
    const artifacts = new Map(buildContractArtifacts());
    const [firstPath] = [...artifacts.keys()].sort();
    artifacts.set(firstPath as string, '{}\n');
    artifacts.set('schemas/care.intake.NewThing.v1.json', '{}\n');
    const drift = findArtifactDrift(undefined, artifacts);
    expect(drift.changed).toEqual([firstPath]);
    expect(drift.missing).toEqual(['schemas/care.intake.NewThing.v1.json']);
    const fewer = new Map(buildContractArtifacts());
    fewer.delete('asyncapi.json');
    expect(findArtifactDrift(undefined, fewer).extra).toEqual(['asyncapi.json']);
  });
});
