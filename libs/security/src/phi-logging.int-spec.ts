import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { runMigrations } from '@stepwise/platform';
import {
  type TestDatabase,
  authEnv,
  createTestDatabase,
  http,
  kafkaBrokers,
  redisUrl,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { probeDatabase, startProbeApp } from './test-app/probe-app';

/*
 * PHI canary: client data sent through every path that logs — a handler that logs the whole record and a
 * message with contact details, a handler that throws with them in the message, a database error that quotes
 * a name, validation failures, a malformed body, an oversized body, a query string and headers — then
 * everything the process wrote to stdout and stderr is searched for the canary values: zero occurrences.
 */

const CANARIES = {
  firstName: 'Quillonette',
  lastName: 'Zephyrinova',
  dateOfBirth: '1961-07-23',
  phone: '(415) 555-0187',
  email: 'quillonette.zephyrinova@example.org',
  street: '742 Evergreenia Terrace',
  city: 'Springfieldtown',
  postalCode: '97403-1234',
  note: 'Disclosed relapse after the wedding of a cousin; canary-note-7d1e',
};

const SITE = randomUUID();

function contact(mode: 'log' | 'throw' | 'database'): Record<string, unknown> {
  return {
    siteId: SITE,
    firstName: CANARIES.firstName,
    lastName: CANARIES.lastName,
    dateOfBirth: CANARIES.dateOfBirth,
    phone: CANARIES.phone,
    email: CANARIES.email,
    address: { street: CANARIES.street, city: CANARIES.city, postalCode: CANARIES.postalCode },
    note: CANARIES.note,
    mode,
  };
}

describe('logs carry no client data (canary)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  let output = '';
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    // Capture everything written from here on, including the app's start-up lines.
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          return true;
        }),
      );
    }
    db = await createTestDatabase('phi_logging');
    await runMigrations(db.service('intake').migrationUrl, 'intake', probeDatabase);
    ({ app, url } = await startProbeApp({
      DATABASE_URL: db.service('intake').url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      REDIS_URL: redisUrl(),
      // The most verbose level: whatever any level would log is in the output.
      LOG_LEVEL: 'trace',
      ...authEnv(),
    }));
    await waitFor(
      'the probe app to be ready',
      () => http(`${url}/health/ready`),
      (r) => r.status === 200,
    );
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    for (const spy of spies) spy.mockRestore();
  });

  it('finds none of the canary values in anything the run logged', async () => {
    const token = await testTokens.valid({ roles: ['intake-coordinator'], sites: [SITE] });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      http(`${url}/v1/probe-contacts`, { token, json: body, headers });

    const statuses = [
      (await post(contact('log'))).status,
      (await post(contact('throw'))).status,
      (await post(contact('database'))).status,
      (await post({ ...contact('log'), unexpected: CANARIES.note })).status,
      (await post({ ...contact('log'), email: 42, phone: [CANARIES.phone] })).status,
      (
        await http(`${url}/v1/probe-contacts`, {
          token,
          raw: `{"firstName": "${CANARIES.firstName}", "lastName": ${CANARIES.lastName}}`,
        })
      ).status,
      (await post({ ...contact('log'), padding: `${CANARIES.note} `.repeat(2_000) })).status,
      (
        await http(
          `${url}/v1/sites/${SITE}/probes?search=${encodeURIComponent(`${CANARIES.firstName} ${CANARIES.lastName}`)}`,
          { token },
        )
      ).status,
      (await post(contact('log'), { 'X-Request-Id': `${CANARIES.firstName} ${CANARIES.email}` })).status,
      (
        await http(`${url}/v1/probe-contacts`, {
          json: contact('log'),
          headers: { Authorization: `Bearer ${CANARIES.email}` },
        })
      ).status,
    ];
    expect(statuses).toEqual([202, 500, 500, 400, 400, 400, 413, 400, 202, 401]);

    // Wait until the last request's completion line is written (logging is synchronous, but be sure).
    await waitFor(
      'the request log lines',
      () =>
        Promise.resolve(
          output.split('\n').filter((line) => /"request (completed|failed)"/.test(line)).length,
        ),
      (lines) => lines >= 10,
    );

    // The capture is real: it holds the handler's lines and the masked record.
    expect(output).toContain('Contact details received');
    expect(output).toContain('[REDACTED]');
    expect(output).toContain('Could not verify [email] or [phone] yet');
    expect(output).toContain('database error 22P02');

    const leaks = Object.entries(CANARIES).flatMap(([field, value]) =>
      [value, value.toLowerCase(), encodeURIComponent(value)]
        .filter((variant) => output.includes(variant))
        .map((variant) => `${field}: ${variant}`),
    );
    expect(leaks).toEqual([]);
  });
});
