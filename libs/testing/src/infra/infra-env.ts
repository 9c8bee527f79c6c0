/** A variable the integration-test global setup exported; fails loudly when the setup did not run. */
export function infraVar(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `${name} is not set: run integration tests through their Nx target (it starts the infrastructure)`,
    );
  }
  return value;
}

export const postgresAdminUrl = (): string => infraVar('POSTGRES_ADMIN_URL');
export const kafkaBrokers = (): string[] => infraVar('KAFKA_BROKERS').split(',');
export const redisUrl = (): string => infraVar('REDIS_URL');

/** The identity variables a service needs (issuer, audience, JWKS), as the global setup exported them. */
export const authEnv = (): Record<string, string> => ({
  AUTH_ISSUER: infraVar('AUTH_ISSUER'),
  AUTH_AUDIENCE: infraVar('AUTH_AUDIENCE'),
  AUTH_JWKS_URL: infraVar('AUTH_JWKS_URL'),
});
