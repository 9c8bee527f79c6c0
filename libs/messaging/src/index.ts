export * from './broker/broker';
export * from './kafkajs/kafkajs-broker-admin';
export * from './messaging.module';
export * from './outbox/outbox-table';
