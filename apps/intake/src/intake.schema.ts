/** The Postgres schema the intake service owns; no other service reads or writes it. */
export const INTAKE_SCHEMA = 'intake';
