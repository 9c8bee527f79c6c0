import { join } from 'node:path';
import { loadConfig } from '@stepwise/platform';
import { configVariables, envExample } from '@stepwise/testing';
import { NotificationsConfig } from './notifications.config';

describe(NotificationsConfig.name, () => {
  const example = envExample(join(__dirname, '../../.env.example'));

  it('is documented variable for variable by .env.example', () => {
    expect(Object.keys(example).sort()).toEqual(configVariables(NotificationsConfig));
  });

  it('accepts the values of .env.example, whose port is its default', () => {
    const { PORT, ...rest } = example;
    expect(loadConfig('notifications', NotificationsConfig, example).PORT).toBe(Number(PORT));
    expect(loadConfig('notifications', NotificationsConfig, rest).PORT).toBe(Number(PORT));
  });
});
