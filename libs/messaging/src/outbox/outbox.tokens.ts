/** Injection token: the Postgres schema whose outbox table the service writes and its relay reads. */
export const OUTBOX_SCHEMA = Symbol('OUTBOX_SCHEMA');
