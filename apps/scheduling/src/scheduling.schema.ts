/** The Postgres schema the scheduling service owns; no other service reads or writes it. */
export const SCHEDULING_SCHEMA = 'scheduling';
