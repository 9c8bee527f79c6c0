/** The peer's table: in the benchmark's database, beside the service's schema, written by the same role. */
export const PEER_SCHEMA = 'bench_peer';

/** Run by the database admin; `appRole` (the sessions application role) gets the peer's schema. */
export function peerTableStatements(appRole: string): string[] {
  return [
    `CREATE SCHEMA "${PEER_SCHEMA}"`,
    `CREATE TABLE "${PEER_SCHEMA}".attendance (
       attendance_id    uuid        PRIMARY KEY,
       appointment_id   uuid        NOT NULL,
       occurrence_id    uuid        NOT NULL,
       outcome          text        NOT NULL,
       minutes_attended int         NOT NULL,
       recorded_at      timestamptz NOT NULL
     )`,
    `GRANT USAGE ON SCHEMA "${PEER_SCHEMA}" TO "${appRole}"`,
    `GRANT SELECT, INSERT ON "${PEER_SCHEMA}".attendance TO "${appRole}"`,
  ];
}
