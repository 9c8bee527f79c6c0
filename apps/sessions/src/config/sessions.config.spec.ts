import { join } from 'node:path';
import { loadConfig } from '@stepwise/platform';
import { describeServiceConfig, envExample } from '@stepwise/testing';
import { SessionsConfig } from './sessions.config';

describeServiceConfig('sessions', SessionsConfig, join(__dirname, '../../.env.example'));

describe('NOTES_KEK', () => {
  const example = envExample(join(__dirname, '../../.env.example'));
  const { NOTES_KEK: _kek, ...withoutKey } = example;

  it('is required in production and must be 32 bytes of base64', () => {
    expect(() => loadConfig('sessions', SessionsConfig, { ...withoutKey, NODE_ENV: 'production' })).toThrow(
      /NOTES_KEK is required in production/,
    );
    expect(() =>
      loadConfig('sessions', SessionsConfig, { ...example, NOTES_KEK: Buffer.alloc(16).toString('base64') }),
    ).toThrow(/NOTES_KEK must be 32 bytes/);
  });

  it('may be absent in development and tests (a random key per process)', () => {
    expect(
      loadConfig('sessions', SessionsConfig, { ...withoutKey, NODE_ENV: 'test' }).NOTES_KEK,
    ).toBeUndefined();
  });
});
