import { join } from 'node:path';
import { loadConfig } from '@stepwise/platform';
import { configVariables, envExample } from '@stepwise/testing';
import { SessionsConfig } from './sessions.config';

describe(SessionsConfig.name, () => {
  const example = envExample(join(__dirname, '../../.env.example'));

  it('is documented variable for variable by .env.example', () => {
    expect(Object.keys(example).sort()).toEqual(configVariables(SessionsConfig));
  });

  it('accepts the values of .env.example, whose port is its default', () => {
    const { PORT, ...rest } = example;
    expect(loadConfig('sessions', SessionsConfig, example).PORT).toBe(Number(PORT));
    expect(loadConfig('sessions', SessionsConfig, rest).PORT).toBe(Number(PORT));
  });
});
