/** The Postgres schema the sessions service owns; no other service reads or writes it. */
export const SESSIONS_SCHEMA = 'sessions';
