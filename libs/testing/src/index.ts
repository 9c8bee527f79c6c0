export * from './infra/infra-env';
export * from './infra/tcp-proxy';
export * from './infra/test-database';
export * from './infra/wait-for';
export * from './service/service-process';
export * from './service/service-suites';
export * from './config/env-example';
export * from './config/deployed-config';
export * from './messaging/kafka-topics';
export { type LocalKafkaBroker, workspaceRoot } from '@stepwise/infra';
// The real OIDC provider (Keycloak) for the tests that sign in through one.
export {
  type LocalKeycloak,
  ensureKeycloak,
  keycloakClientCredentials,
  keycloakHoldsSecrets,
  keycloakPasswordToken,
  realmStaff,
  stopKeycloak,
} from '@stepwise/infra';
export * from './service/metrics-suite';
export * from './auth/test-tokens';
export * from './auth/integration-clients';
export * from './http/bad-input';
export * from './http/http-client';
export * from './http/fake-intake-disclosures';
export * from './service/compile-service';
export * from './service/script-process';
export * from './service/service-app';
export * from './metrics/sample-value';
export * from './config/compose-config';
export * from './infra/test-infra-choice';
export * from './infra/test-containers';
