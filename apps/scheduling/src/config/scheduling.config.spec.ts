import { join } from 'node:path';
import { loadConfig } from '@stepwise/platform';
import { configVariables, envExample } from '@stepwise/testing';
import { SchedulingConfig } from './scheduling.config';

describe(SchedulingConfig.name, () => {
  const example = envExample(join(__dirname, '../../.env.example'));

  it('is documented variable for variable by .env.example', () => {
    expect(Object.keys(example).sort()).toEqual(configVariables(SchedulingConfig));
  });

  it('accepts the values of .env.example, whose port is its default', () => {
    const { PORT, ...rest } = example;
    expect(loadConfig('scheduling', SchedulingConfig, example).PORT).toBe(Number(PORT));
    expect(loadConfig('scheduling', SchedulingConfig, rest).PORT).toBe(Number(PORT));
  });
});
