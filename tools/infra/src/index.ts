export * from './identity';
export * from './infrastructure';
export * from './jwks';
export * from './kafka-broker';
export * from './postgres';
export * from './process-utils';
export * from './redis';
export * from './workspace';
