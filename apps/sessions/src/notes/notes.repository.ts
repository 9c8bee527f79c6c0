import { Injectable } from '@nestjs/common';
import { type LevelOfCare, type NoteFormat, type Population } from '@stepwise/contracts';
import { type AttendanceOutcome } from '@stepwise/care-rules';
import { type RecordKind } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';
import { type NoteKind } from './note.dto';

export interface SessionRow {
  appointment_id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  cancelled_at: Date | null;
  outcome: AttendanceOutcome | null;
  level_of_care: LevelOfCare | null;
  population: Population | null;
}

export type NoteStatus = 'draft' | 'awaiting-cosign' | 'signed';

export interface NoteRow {
  /** The note id under the name ScopedRecords reads (`note_id` too). */
  id: string;
  network_id: string | null;
  note_id: string;
  site_id: string;
  occurrence_id: string;
  kind: NoteKind;
  format: NoteFormat;
  status: NoteStatus;
  cosign_required: boolean;
  kek_id: string;
  wrapped_key: Buffer;
  shared_section: Buffer | null;
  signed_by: string | null;
  signed_at: Date | null;
  cosigned_by: string | null;
  cosigned_at: Date | null;
}

export interface EntryRow {
  appointment_id: string;
  client_id: string;
  episode_id: string;
  goal_ids: string[];
  sections: Buffer;
}

export interface AddendumRow {
  addendum_id: string;
  author_id: string;
  created_at: Date;
  body: Buffer;
}

/** A new draft, its text already sealed. */
export interface NewNote {
  readonly noteId: string;
  readonly siteId: string;
  readonly occurrenceId: string;
  readonly kind: NoteKind;
  readonly format: NoteFormat;
  readonly cosignRequired: boolean;
  readonly kekId: string;
  readonly wrappedKey: Buffer;
  readonly sharedSection: Buffer | null;
  readonly authorId: string;
  readonly at: Date;
}

export interface NewEntry {
  readonly appointmentId: string;
  readonly clientId: string;
  readonly episodeId: string;
  readonly goalIds: readonly string[];
  readonly sections: Buffer;
}

/**
 * Notes as ScopedRecords loads them: the notes table keys on `note_id` and keeps no network, so the row is
 * read through a subquery naming the key `id` and taking the network from the projected site (Postgres
 * flattens it: the lookup stays an index scan and `FOR UPDATE` locks the note row).
 */
export const NOTE: RecordKind<NoteRow> = {
  table: `(SELECT n.*, n.note_id AS id,
             (SELECT s.network_id FROM ${table('sites')} s WHERE s.site_id = n.site_id) AS network_id
             FROM ${table('notes')} n) AS note`,
  columns: '*',
  resourceType: 'note',
  // A note can be about several clients: its accesses are audited once per client by the use cases.
  clientIdOf: () => null,
};

/** All SQL of notes: drafts, their per-client entries, signatures and addenda. */
@Injectable()
export class NotesRepository {
  /**
   * Locks the appointments' session records against an attendance correction (which takes them `FOR UPDATE`
   * for the whole roster) until this transaction ends: a note signed now is signed over the attendance as
   * committed, and a correction waiting here then finds the note signed (409 attendance-locked).
   */
  async lockAppointments(m: EntityManager, appointmentIds: readonly string[]): Promise<void> {
    await m.query(
      `SELECT count(*) FROM (SELECT 1 FROM ${table('session_records')}
         WHERE appointment_id = ANY($1::uuid[]) ORDER BY appointment_id FOR SHARE) AS held`,
      [appointmentIds],
    );
  }

  /** The appointments of an occurrence with their attendance and the track of each client's episode. */
  sessionsOf(m: EntityManager, occurrenceId: string): Promise<SessionRow[]> {
    return m.query<SessionRow[]>(
      `SELECT r.appointment_id, r.client_id, r.episode_id, r.site_id, r.cancelled_at, a.outcome, e.level_of_care,
              e.population
         FROM ${table('session_records')} r
         LEFT JOIN ${table('attendance')} a USING (appointment_id)
         LEFT JOIN ${table('episodes')} e ON e.episode_id = r.episode_id
        WHERE r.occurrence_id = $1 ORDER BY r.appointment_id`,
      [occurrenceId],
    );
  }

  /** The goal ids of the episode's current signed treatment plan (none without a plan). */
  async planGoals(m: EntityManager, episodeId: string): Promise<string[]> {
    const [plan] = await m.query<{ goal_ids: string[] }[]>(
      `SELECT goal_ids FROM ${table('treatment_plans')} WHERE episode_id = $1 ORDER BY version DESC, signed_at DESC LIMIT 1`,
      [episodeId],
    );
    return plan?.goal_ids ?? [];
  }

  /** Whether another note (than `except`) covers the occurrence as a group note or one of the appointments. */
  async isNoted(
    m: EntityManager,
    kind: NoteKind,
    occurrenceId: string,
    appointmentIds: readonly string[],
    except: string | null,
  ): Promise<boolean> {
    const [taken] = await m.query<unknown[]>(
      `SELECT 1 FROM ${table('notes')} n LEFT JOIN ${table('note_entries')} e USING (note_id)
        WHERE n.note_id IS DISTINCT FROM $3::uuid
          AND ((n.kind = 'group' AND $1 = 'group' AND n.occurrence_id = $2) OR e.appointment_id = ANY($4::uuid[]))
        LIMIT 1`,
      [kind, occurrenceId, except, appointmentIds],
    );
    return taken !== undefined;
  }

  async insertNote(m: EntityManager, note: NewNote): Promise<void> {
    await m.query(
      `INSERT INTO ${table('notes')} (note_id, site_id, occurrence_id, kind, format, status, cosign_required,
         kek_id, wrapped_key, shared_section, author_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $11)`,
      [
        note.noteId,
        note.siteId,
        note.occurrenceId,
        note.kind,
        note.format,
        note.cosignRequired,
        note.kekId,
        note.wrappedKey,
        note.sharedSection,
        note.authorId,
        note.at,
      ],
    );
  }

  async deleteEntries(m: EntityManager, noteId: string): Promise<void> {
    await m.query(`DELETE FROM ${table('note_entries')} WHERE note_id = $1`, [noteId]);
  }

  async insertEntry(m: EntityManager, noteId: string, entry: NewEntry): Promise<void> {
    await m.query(
      `INSERT INTO ${table('note_entries')} (note_id, appointment_id, client_id, episode_id, goal_ids, sections)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [noteId, entry.appointmentId, entry.clientId, entry.episodeId, entry.goalIds, entry.sections],
    );
  }

  async updateShared(m: EntityManager, noteId: string, shared: Buffer | null, at: Date): Promise<void> {
    await m.query(`UPDATE ${table('notes')} SET shared_section = $2, updated_at = $3 WHERE note_id = $1`, [
      noteId,
      shared,
      at,
    ]);
  }

  async markSigned(
    m: EntityManager,
    noteId: string,
    status: NoteStatus,
    signer: string,
    at: Date,
  ): Promise<void> {
    await m.query(
      `UPDATE ${table('notes')} SET status = $2, signed_by = $3, signed_at = $4, updated_at = $4 WHERE note_id = $1`,
      [noteId, status, signer, at],
    );
  }

  async markCosigned(m: EntityManager, noteId: string, supervisor: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE ${table('notes')} SET status = 'signed', cosigned_by = $2, cosigned_at = $3, updated_at = $3
        WHERE note_id = $1`,
      [noteId, supervisor, at],
    );
  }

  async insertAddendum(
    m: EntityManager,
    noteId: string,
    addendum: {
      readonly addendumId: string;
      readonly authorId: string;
      readonly at: Date;
      readonly body: Buffer;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO ${table('note_addenda')} (addendum_id, note_id, author_id, created_at, body)
       VALUES ($1, $2, $3, $4, $5)`,
      [addendum.addendumId, noteId, addendum.authorId, addendum.at, addendum.body],
    );
  }

  entries(m: EntityManager, noteId: string): Promise<EntryRow[]> {
    return m.query<EntryRow[]>(
      `SELECT appointment_id, client_id, episode_id, goal_ids, sections FROM ${table('note_entries')}
        WHERE note_id = $1 ORDER BY appointment_id`,
      [noteId],
    );
  }

  /** The note as it now is, without a lock or an access check (the use case has done both). */
  async note(m: EntityManager, noteId: string): Promise<NoteRow | undefined> {
    const [note] = await m.query<NoteRow[]>(`SELECT * FROM ${NOTE.table} WHERE id = $1`, [noteId]);
    return note;
  }

  addenda(m: EntityManager, noteId: string): Promise<AddendumRow[]> {
    return m.query<AddendumRow[]>(
      `SELECT addendum_id, author_id, created_at, body FROM ${table('note_addenda')} WHERE note_id = $1
        ORDER BY created_at, addendum_id`,
      [noteId],
    );
  }
}
