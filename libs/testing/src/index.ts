export * from './infra/infra-env';
export * from './infra/tcp-proxy';
export * from './infra/test-database';
export * from './infra/wait-for';
export * from './service/service-process';
export * from './service/service-suites';
export * from './config/env-example';
export * from './messaging/kafka-topics';
export { type LocalKafkaBroker, workspaceRoot } from '@stepwise/infra';
