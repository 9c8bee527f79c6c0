import { randomUUID } from 'node:crypto';
import { LevelOfCare, NoteFormat, Population } from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import { type CreateNoteDto, type NoteEntryDto } from '../notes/note.dto';
import {
  type AddendumRow,
  type EntryRow,
  type NewEntry,
  type NewNote,
  type NoteRow,
  type NoteStatus,
  NotesRepository,
  type SessionRow,
} from '../notes/notes.repository';
import { type NoteKind } from '../notes/note.dto';
import { SITE_ID } from './doubles';

/** Notes held in memory, answering as the SQL of NotesRepository does. */
export class InMemoryNotes extends NotesRepository {
  readonly sessions = new Map<string, SessionRow[]>();
  readonly goals = new Map<string, string[]>();
  readonly notes = new Map<string, NoteRow>();
  private readonly entryRows = new Map<string, EntryRow[]>();
  private readonly addendumRows = new Map<string, AddendumRow[]>();

  override sessionsOf(_m: EntityManager, occurrenceId: string): Promise<SessionRow[]> {
    return Promise.resolve([...(this.sessions.get(occurrenceId) ?? [])]);
  }

  /** Nothing runs concurrently in memory: the lock is the integration spec's to prove. */
  override lockAppointments(): Promise<void> {
    return Promise.resolve();
  }

  override planGoals(_m: EntityManager, episodeId: string): Promise<string[]> {
    return Promise.resolve(this.goals.get(episodeId) ?? []);
  }

  override isNoted(
    _m: EntityManager,
    kind: NoteKind,
    occurrenceId: string,
    appointmentIds: readonly string[],
    except: string | null,
  ): Promise<boolean> {
    const taken = [...this.notes.values()].some(
      (n) =>
        n.note_id !== except &&
        ((n.kind === 'group' && kind === 'group' && n.occurrence_id === occurrenceId) ||
          (this.entryRows.get(n.note_id) ?? []).some((e) => appointmentIds.includes(e.appointment_id))),
    );
    return Promise.resolve(taken);
  }

  override insertNote(_m: EntityManager, n: NewNote): Promise<void> {
    this.notes.set(n.noteId, {
      id: n.noteId,
      network_id: null,
      note_id: n.noteId,
      site_id: n.siteId,
      occurrence_id: n.occurrenceId,
      kind: n.kind,
      format: n.format,
      status: 'draft',
      cosign_required: n.cosignRequired,
      kek_id: n.kekId,
      wrapped_key: n.wrappedKey,
      shared_section: n.sharedSection,
      signed_by: null,
      signed_at: null,
      cosigned_by: null,
      cosigned_at: null,
    });
    return Promise.resolve();
  }

  override deleteEntries(_m: EntityManager, noteId: string): Promise<void> {
    this.entryRows.delete(noteId);
    return Promise.resolve();
  }

  override insertEntry(_m: EntityManager, noteId: string, e: NewEntry): Promise<void> {
    const row = {
      appointment_id: e.appointmentId,
      client_id: e.clientId,
      episode_id: e.episodeId,
      goal_ids: [...e.goalIds],
      sections: e.sections,
    };
    this.entryRows.set(noteId, [...(this.entryRows.get(noteId) ?? []), row]);
    return Promise.resolve();
  }

  override updateShared(_m: EntityManager, noteId: string, shared: Buffer | null): Promise<void> {
    this.change(noteId, { shared_section: shared });
    return Promise.resolve();
  }

  override markSigned(
    _m: EntityManager,
    noteId: string,
    status: NoteStatus,
    signer: string,
    at: Date,
  ): Promise<void> {
    this.change(noteId, { status, signed_by: signer, signed_at: at });
    return Promise.resolve();
  }

  override markCosigned(_m: EntityManager, noteId: string, supervisor: string, at: Date): Promise<void> {
    this.change(noteId, { status: 'signed', cosigned_by: supervisor, cosigned_at: at });
    return Promise.resolve();
  }

  override insertAddendum(
    _m: EntityManager,
    noteId: string,
    a: { readonly addendumId: string; readonly authorId: string; readonly at: Date; readonly body: Buffer },
  ): Promise<void> {
    const row = { addendum_id: a.addendumId, author_id: a.authorId, created_at: a.at, body: a.body };
    this.addendumRows.set(noteId, [...(this.addendumRows.get(noteId) ?? []), row]);
    return Promise.resolve();
  }

  override entries(_m: EntityManager, noteId: string): Promise<EntryRow[]> {
    const rows = [...(this.entryRows.get(noteId) ?? [])];
    return Promise.resolve(rows.sort((a, b) => a.appointment_id.localeCompare(b.appointment_id)));
  }

  override note(_m: EntityManager, noteId: string): Promise<NoteRow | undefined> {
    return Promise.resolve(this.notes.get(noteId));
  }

  override addenda(_m: EntityManager, noteId: string): Promise<AddendumRow[]> {
    return Promise.resolve([...(this.addendumRows.get(noteId) ?? [])]);
  }

  private change(noteId: string, change: Partial<NoteRow>): void {
    const note = this.notes.get(noteId);
    if (note !== undefined) this.notes.set(noteId, { ...note, ...change });
  }
}

/** An appointment of an occurrence, attended in full by an adult in IOP unless overridden. */
export function aSession(overrides: Partial<SessionRow> = {}): SessionRow {
  return {
    appointment_id: randomUUID(),
    client_id: randomUUID(),
    episode_id: randomUUID(),
    site_id: SITE_ID,
    cancelled_at: null,
    outcome: 'present',
    level_of_care: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    ...overrides,
  };
}

/** A DAP section for an attendee, written about them (so no two are identical). */
export function anEntry(session: SessionRow, goalIds: string[] = []): NoteEntryDto {
  return {
    appointmentId: session.appointment_id,
    sections: {
      data: `Client ${session.client_id} shared about the week`,
      assessment: 'Engaged',
      plan: 'Continue',
    },
    goalIdsAddressed: goalIds,
  };
}

/** A group DAP note with one section per given session. */
export function aGroupNote(occurrenceId: string, sessions: readonly SessionRow[]): CreateNoteDto {
  return {
    occurrenceId,
    kind: 'group',
    format: NoteFormat.Dap,
    shared: { topic: 'Coping with cravings', interventions: 'CBT skills practice' },
    entries: sessions.map((s) => anEntry(s)),
  };
}
