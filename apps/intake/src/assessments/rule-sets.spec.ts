import { LevelOfCare } from '@stepwise/contracts';
import { theIllustrativeRuleSet } from '../testing/assessment-factories';
import { aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { type CreateRuleSetDto } from './assessment.dto';
import { ListRuleSets } from './list-rule-sets';
import { LoadRuleSet } from './load-rule-set';

const localRules = (makeDefault: boolean): CreateRuleSetDto => ({
  code: 'local',
  label: 'Local rules',
  rules: [{ level: LevelOfCare.IntensiveOutpatient, any: [{ dimension: 3, atLeast: 2 }] }],
  fallbackLevel: LevelOfCare.Outpatient,
  makeDefault,
});

describe('LoadRuleSet', () => {
  let world: UnitWorld;
  let load: LoadRuleSet;

  beforeEach(() => {
    world = unitWorld();
    world.assessments.seedRuleSet(theIllustrativeRuleSet());
    load = new LoadRuleSet(injected(world).assessments);
  });

  it('stores the next version of the code, and makes it the only default when asked', async () => {
    await load.execute(aStaffActor(), localRules(false));

    const second = await load.execute(aStaffActor(), localRules(true));

    expect(second).toMatchObject({ code: 'local', version: 2, ruleSetVersion: 'local@2', isDefault: true });
    const defaults = (await world.assessments.ruleSets()).filter((set) => set.is_default);
    expect(defaults.map((set) => `${set.code}@${set.version}`)).toEqual(['local@2']);
  });
});

describe('ListRuleSets', () => {
  it('lists every stored version by code and version, with its id and whether it is the default', async () => {
    const world = unitWorld();
    world.assessments.seedRuleSet(theIllustrativeRuleSet());
    await new LoadRuleSet(injected(world).assessments).execute(aStaffActor(), localRules(false));

    const sets = await new ListRuleSets(injected(world).assessments).execute();

    expect(sets.map((set) => [set.ruleSetVersion, set.isDefault])).toEqual([
      ['illustrative-asam@1', true],
      ['local@1', false],
    ]);
  });
});
