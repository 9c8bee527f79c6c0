import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EXIT_CONFIG, loadConfig, runService } from '@stepwise/platform';
import {
  describeComposeConfig,
  describeDeployedConfig,
  describeServiceConfig,
  envExample,
} from '@stepwise/testing';
import { notificationsDefinition } from '../notifications.definition';
import { NotificationsConfig, smsAuthToken } from './notifications.config';

const ENV_EXAMPLE = join(__dirname, '../../.env.example');

describeServiceConfig('notifications', NotificationsConfig, ENV_EXAMPLE);
describeDeployedConfig('notifications', NotificationsConfig);
describeComposeConfig('notifications', NotificationsConfig);

describe('the http SMS provider', () => {
  const TOKEN = 'sms-token-from-the-provider';
  let dir: string;
  let tokenFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'notifications-config-'));
    tokenFile = join(dir, 'sms-auth-token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const http = {
    ...envExample(ENV_EXAMPLE),
    SMS_PROVIDER: 'http',
    SMS_API_URL: 'https://sms.provider.test/2010-04-01',
    SMS_ACCOUNT_ID: 'AC123',
    SMS_FROM: '+13125550187',
  };

  /** Variable → problems, as the start-up's exit-78 message lists them. */
  function problems(env: Record<string, string>): Record<string, string[]> {
    try {
      loadConfig('notifications', NotificationsConfig, env);
    } catch (error) {
      if (error instanceof ConfigError)
        return Object.fromEntries(error.problems.map((p) => [p.variable, p.problems]));
      throw error;
    }
    return {};
  }

  it('refuses to start without its auth token, naming the variable', () => {
    expect(problems(http)).toEqual({
      SMS_AUTH_TOKEN_FILE: ['SMS_PROVIDER is http, so SMS_AUTH_TOKEN_FILE (or SMS_AUTH_TOKEN) is required'],
    });
  });

  it('refuses to start without its API URL, account or sender', () => {
    const { SMS_API_URL, SMS_ACCOUNT_ID, SMS_FROM, ...rest } = http;
    expect([SMS_API_URL, SMS_ACCOUNT_ID, SMS_FROM]).toHaveLength(3);
    expect(problems({ ...rest, SMS_AUTH_TOKEN: TOKEN })).toEqual({
      SMS_API_URL: ['SMS_PROVIDER is http, so SMS_API_URL is required'],
      SMS_ACCOUNT_ID: ['SMS_PROVIDER is http, so SMS_ACCOUNT_ID is required'],
      SMS_FROM: ['SMS_PROVIDER is http, so SMS_FROM is required'],
    });
  });

  it('stops the process at start-up with exit 78, naming the missing token', async () => {
    const saved = { env: process.env, exitCode: process.exitCode };
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.env = { ...http, NODE_ENV: 'test' };
      await runService(notificationsDefinition, ['serve']);
      expect(process.exitCode).toBe(EXIT_CONFIG);
      expect(EXIT_CONFIG).toBe(78);
      const output = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
      expect(output).toContain(
        '  - SMS_AUTH_TOKEN_FILE: SMS_PROVIDER is http, so SMS_AUTH_TOKEN_FILE (or SMS_AUTH_TOKEN) is required',
      );
    } finally {
      stderr.mockRestore();
      process.env = saved.env;
      process.exitCode = saved.exitCode;
    }
  });

  it('reads the token from a file (without its final line break) or from the variable', () => {
    expect(
      smsAuthToken(
        loadConfig('notifications', NotificationsConfig, { ...http, SMS_AUTH_TOKEN_FILE: tokenFile }),
      ),
    ).toBe(TOKEN);
    expect(
      smsAuthToken(loadConfig('notifications', NotificationsConfig, { ...http, SMS_AUTH_TOKEN: TOKEN })),
    ).toBe(TOKEN);
  });

  it('refuses a missing or empty token file, and both sources at once', () => {
    expect(problems({ ...http, SMS_AUTH_TOKEN_FILE: join(dir, 'missing') })).toEqual({
      SMS_AUTH_TOKEN_FILE: ['SMS_AUTH_TOKEN_FILE must name a readable, non-empty file'],
    });
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(problems({ ...http, SMS_AUTH_TOKEN_FILE: empty })).toEqual({
      SMS_AUTH_TOKEN_FILE: ['SMS_AUTH_TOKEN_FILE must name a readable, non-empty file'],
    });
    expect(problems({ ...http, SMS_AUTH_TOKEN_FILE: tokenFile, SMS_AUTH_TOKEN: TOKEN })).toEqual({
      SMS_AUTH_TOKEN: ['SMS_AUTH_TOKEN and SMS_AUTH_TOKEN_FILE exclude each other: set one'],
    });
  });

  it('never quotes the token in its message', () => {
    const { SMS_API_URL, ...rest } = http;
    expect(SMS_API_URL).toBeDefined();
    expect(() =>
      loadConfig('notifications', NotificationsConfig, { ...rest, SMS_AUTH_TOKEN: TOKEN }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(TOKEN) as string }) as Error);
  });

  it('is not needed by the sink (development)', () => {
    expect(problems({ ...envExample(ENV_EXAMPLE), SMS_PROVIDER: 'sink' })).toEqual({});
  });
});
