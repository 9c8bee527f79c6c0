import { join } from 'node:path';
import { loadConfig } from '@stepwise/platform';
import { configVariables, envExample } from '@stepwise/testing';
import { IntakeConfig } from './intake.config';

describe(IntakeConfig.name, () => {
  const example = envExample(join(__dirname, '../../.env.example'));

  it('is documented variable for variable by .env.example', () => {
    expect(Object.keys(example).sort()).toEqual(configVariables(IntakeConfig));
  });

  it('accepts the values of .env.example, whose port is its default', () => {
    const { PORT, ...rest } = example;
    expect(loadConfig('intake', IntakeConfig, example).PORT).toBe(Number(PORT));
    expect(loadConfig('intake', IntakeConfig, rest).PORT).toBe(Number(PORT));
  });
});
