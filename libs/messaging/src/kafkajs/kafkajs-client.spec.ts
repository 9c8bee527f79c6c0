import { kafkajsSecurity } from './kafkajs-client';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe(kafkajsSecurity.name, () => {
  it('connects in plaintext without authentication when no security is configured', () => {
    expect(kafkajsSecurity(undefined)).toEqual({});
  });

  it('trusts only the configured CA and verifies the certificate', () => {
    expect(kafkajsSecurity({ tls: { ca: CA } })).toEqual({ ssl: { ca: [CA], rejectUnauthorized: true } });
  });

  it("keeps Node's built-in roots when no CA is configured (KAFKA_SSL_SYSTEM_CA)", () => {
    expect(kafkajsSecurity({ tls: {} })).toEqual({ ssl: true });
  });

  it.each(['scram-sha-512', 'scram-sha-256', 'plain'] as const)(
    'passes %s credentials to kafkajs',
    (mechanism) => {
      expect(
        kafkajsSecurity({
          tls: { ca: CA },
          sasl: { mechanism, username: 'stepwise-intake', password: 's3cret' },
        }),
      ).toEqual({
        ssl: { ca: [CA], rejectUnauthorized: true },
        sasl: { mechanism, username: 'stepwise-intake', password: 's3cret' },
      });
    },
  );
});
