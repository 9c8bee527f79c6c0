/** The Postgres schema the notifications service owns; no other service reads or writes it. */
export const NOTIFICATIONS_SCHEMA = 'notifications';
