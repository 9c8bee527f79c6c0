import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type LevelOfCare, type NoteFormat, type Population, isUuid } from '@stepwise/contracts';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException } from '@stepwise/security';
import { type AttendanceOutcome, isAttended, progressRuleSetFor } from '@stepwise/care-rules';
import { Clock } from '@stepwise/platform';
import { SiteRecords } from '../shared/site-records';
import { table } from '../sessions.tables';
import { type DataKey, NoteCipher } from './note-cipher';
import {
  type AddendumView,
  type CreateNoteDto,
  type NoteContentDto,
  type NoteEntryDto,
  type NoteKind,
  type NoteView,
  type SharedSectionDto,
} from './note.dto';
import { type Sections, identicalSections, sectionProblems } from './note-formats';

interface SessionRow {
  appointment_id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  cancelled_at: Date | null;
  outcome: AttendanceOutcome | null;
  level_of_care: LevelOfCare | null;
  population: Population | null;
}

interface NoteRow {
  note_id: string;
  site_id: string;
  occurrence_id: string;
  kind: NoteKind;
  format: NoteFormat;
  status: 'draft' | 'awaiting-cosign' | 'signed';
  cosign_required: boolean;
  kek_id: string;
  wrapped_key: Buffer;
  shared_section: Buffer | null;
  signed_by: string | null;
  signed_at: Date | null;
  cosigned_by: string | null;
  cosigned_at: Date | null;
}

interface EntryRow {
  appointment_id: string;
  client_id: string;
  episode_id: string;
  goal_ids: string[];
  sections: Buffer;
}

interface CheckedEntry {
  readonly input: NoteEntryDto;
  readonly session: SessionRow;
}

const unprocessable = (detail: string, code: 'unprocessable' | 'note-sections-mismatch' = 'unprocessable') =>
  new ProblemException(code, { detail });

const sharedContext = (noteId: string): string => `note|${noteId}|shared`;
const entryContext = (noteId: string, appointmentId: string): string =>
  `note|${noteId}|entry|${appointmentId}`;
const addendumContext = (noteId: string, addendumId: string): string =>
  `note|${noteId}|addendum|${addendumId}`;

/** Only the sections the client sent (the DTO class may carry undefined properties). */
function sectionsOf(entry: NoteEntryDto): Sections {
  return Object.fromEntries(
    Object.entries(entry.sections).filter(([, text]) => text !== undefined),
  ) as Sections;
}

/**
 * Session notes: drafted (group notes with a shared section and one individual section per attendee), signed
 * (immutable from then on; corrections are addenda), co-signed by a supervisor where the client's track
 * requires it, and then announced by NoteSigned per client — ids and codes, never the text. Text is sealed
 * by NoteCipher before any query sees it; every read of a note is audited per client.
 */
@Injectable()
export class NotesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sites: SiteRecords,
    private readonly cipher: NoteCipher,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: CreateNoteDto): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const noteId = randomUUID();
      const sessions = await this.sessionsOf(tx, input.occurrenceId);
      const siteId = sessions[0]?.site_id;
      if (siteId === undefined)
        throw new ProblemException('not-found', { detail: 'No such session occurrence' });
      await this.sites.assertAccess(actor, tx.manager, siteId, {
        action: 'create',
        resourceType: 'note',
        resourceId: noteId,
      });
      const entries = await this.check(tx, input.kind, input.format, input, sessions);
      await this.assertNotNoted(tx, input.kind, input.occurrenceId, entries);
      const cosignRequired = entries.some(({ session }) =>
        session.level_of_care === null || session.population === null
          ? false
          : (progressRuleSetFor(session.level_of_care, session.population)?.noteCosignRequired ?? false),
      );
      const dataKey = this.cipher.newDataKey(noteId);
      const now = this.clock.now();
      await tx.manager.query(
        `INSERT INTO ${table('notes')} (note_id, site_id, occurrence_id, kind, format, status, cosign_required,
           kek_id, wrapped_key, shared_section, author_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $11)`,
        [
          noteId,
          siteId,
          input.occurrenceId,
          input.kind,
          input.format,
          cosignRequired,
          dataKey.kekId,
          dataKey.wrapped,
          this.sealShared(dataKey, noteId, input.shared),
          actor.principal.id,
          now,
        ],
      );
      await this.writeEntries(tx, dataKey, noteId, entries);
      return this.finish(
        tx,
        actor,
        noteId,
        siteId,
        'create',
        entries.map((e) => e.session.client_id),
      );
    });
  }

  async update(actor: Actor, noteId: string, content: NoteContentDto): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.load(tx, actor, noteId, 'update');
      if (note.status !== 'draft') {
        throw new ProblemException('note-signed', { detail: 'A signed note cannot change; add an addendum' });
      }
      const entries = await this.check(
        tx,
        note.kind,
        note.format,
        content,
        await this.sessionsOf(tx, note.occurrence_id),
      );
      await tx.manager.query(`DELETE FROM ${table('note_entries')} WHERE note_id = $1`, [noteId]);
      await this.assertNotNoted(tx, note.kind, note.occurrence_id, entries, noteId);
      const dataKey = this.cipher.unwrap(noteId, note.kek_id, note.wrapped_key);
      await tx.manager.query(
        `UPDATE ${table('notes')} SET shared_section = $2, updated_at = $3 WHERE note_id = $1`,
        [noteId, this.sealShared(dataKey, noteId, content.shared), this.clock.now()],
      );
      await this.writeEntries(tx, dataKey, noteId, entries);
      return this.finish(
        tx,
        actor,
        noteId,
        note.site_id,
        'update',
        entries.map((e) => e.session.client_id),
      );
    });
  }

  async sign(actor: Actor, noteId: string): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.load(tx, actor, noteId, 'sign');
      if (note.status !== 'draft')
        throw new ProblemException('note-signed', { detail: 'The note is already signed' });
      const signer = this.staffId(actor);
      const entries = await this.entries(tx, noteId);
      if (note.kind === 'group') {
        // Attendance may have been corrected since the draft: the signed note must match who attended.
        const attendees = (await this.sessionsOf(tx, note.occurrence_id)).filter(
          (s) => s.outcome !== null && isAttended(s.outcome),
        );
        const noted = new Set(entries.map((e) => e.appointment_id));
        if (attendees.length !== noted.size || attendees.some((s) => !noted.has(s.appointment_id))) {
          throw unprocessable(
            'The attendees changed since the draft; update the individual sections',
            'note-sections-mismatch',
          );
        }
      }
      const now = this.clock.now();
      const status = note.cosign_required ? 'awaiting-cosign' : 'signed';
      await tx.manager.query(
        `UPDATE ${table('notes')} SET status = $2, signed_by = $3, signed_at = $4, updated_at = $4 WHERE note_id = $1`,
        [noteId, status, signer, now],
      );
      if (status === 'signed') await this.announce(tx, note, entries, signer, now);
      return this.finish(
        tx,
        actor,
        noteId,
        note.site_id,
        'sign',
        entries.map((e) => e.client_id),
      );
    });
  }

  async cosign(actor: Actor, noteId: string): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.load(tx, actor, noteId, 'cosign');
      if (note.status !== 'awaiting-cosign') {
        throw new ProblemException('conflict', {
          detail: 'Only a signed note awaiting co-signature can be co-signed',
        });
      }
      const supervisor = this.staffId(actor);
      if (supervisor === note.signed_by)
        throw unprocessable('The co-signer must be another clinician than the signer');
      const now = this.clock.now();
      await tx.manager.query(
        `UPDATE ${table('notes')} SET status = 'signed', cosigned_by = $2, cosigned_at = $3, updated_at = $3
          WHERE note_id = $1`,
        [noteId, supervisor, now],
      );
      const entries = await this.entries(tx, noteId);
      await this.announce(tx, note, entries, note.signed_by ?? supervisor, now);
      return this.finish(
        tx,
        actor,
        noteId,
        note.site_id,
        'cosign',
        entries.map((e) => e.client_id),
      );
    });
  }

  async addAddendum(actor: Actor, noteId: string, text: string): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.load(tx, actor, noteId, 'amend');
      if (note.status === 'draft') {
        throw new ProblemException('conflict', {
          detail: 'A draft is edited, not amended; addenda follow signing',
        });
      }
      const addendumId = randomUUID();
      const dataKey = this.cipher.unwrap(noteId, note.kek_id, note.wrapped_key);
      await tx.manager.query(
        `INSERT INTO ${table('note_addenda')} (addendum_id, note_id, author_id, created_at, body)
         VALUES ($1, $2, $3, $4, $5)`,
        [
          addendumId,
          noteId,
          actor.principal.id,
          this.clock.now(),
          this.cipher.seal(dataKey, text, addendumContext(noteId, addendumId)),
        ],
      );
      const entries = await this.entries(tx, noteId);
      return this.finish(
        tx,
        actor,
        noteId,
        note.site_id,
        'amend',
        entries.map((e) => e.client_id),
      );
    });
  }

  async read(actor: Actor, noteId: string): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.load(tx, actor, noteId, 'read');
      const entries = await this.entries(tx, noteId);
      return this.finish(
        tx,
        actor,
        noteId,
        note.site_id,
        'read',
        entries.map((e) => e.client_id),
      );
    });
  }

  private staffId(actor: Actor): string {
    if (!isUuid(actor.principal.id))
      throw unprocessable('Signing needs a staff member (a token whose subject is a staff id)');
    return actor.principal.id.toLowerCase();
  }

  private async sessionsOf(tx: Transaction, occurrenceId: string): Promise<SessionRow[]> {
    return tx.manager.query<SessionRow[]>(
      `SELECT r.appointment_id, r.client_id, r.episode_id, r.site_id, r.cancelled_at, a.outcome, e.level_of_care,
              e.population
         FROM ${table('session_records')} r
         LEFT JOIN ${table('attendance')} a USING (appointment_id)
         LEFT JOIN ${table('episodes')} e ON e.episode_id = r.episode_id
        WHERE r.occurrence_id = $1 ORDER BY r.appointment_id`,
      [occurrenceId],
    );
  }

  /** The content rules: format sections, one individual section per attendee, no copies, the plan's goals. */
  private async check(
    tx: Transaction,
    kind: NoteKind,
    format: NoteFormat,
    content: NoteContentDto,
    sessions: readonly SessionRow[],
  ): Promise<CheckedEntry[]> {
    if (kind === 'group' && content.shared === undefined)
      throw unprocessable('A group note needs its shared section');
    if (kind === 'individual' && content.shared !== undefined)
      throw unprocessable('An individual note has no shared section');
    if (kind === 'individual' && content.entries.length !== 1) {
      throw unprocessable('An individual note has exactly one section', 'note-sections-mismatch');
    }
    const byAppointment = new Map(sessions.map((s) => [s.appointment_id, s]));
    const entries: CheckedEntry[] = [];
    for (const input of content.entries) {
      const session = byAppointment.get(input.appointmentId.toLowerCase());
      if (session === undefined) throw unprocessable('An appointment does not belong to this occurrence');
      if (entries.some((e) => e.session === session)) throw unprocessable('An appointment is listed twice');
      if (session.cancelled_at !== null || session.outcome === null || !isAttended(session.outcome)) {
        throw unprocessable('A section is for a client who did not attend', 'note-sections-mismatch');
      }
      const problems = sectionProblems(format, sectionsOf(input));
      if (problems.length > 0) throw new ProblemException('unprocessable', { detail: problems.join('; ') });
      entries.push({ input, session });
    }
    if (kind === 'group') {
      const missing = sessions.filter(
        (s) => s.outcome !== null && isAttended(s.outcome) && !entries.some((e) => e.session === s),
      );
      if (missing.length > 0) {
        throw unprocessable(
          `${missing.length} attendee(s) have no individual section`,
          'note-sections-mismatch',
        );
      }
      if (identicalSections(entries.map((e) => sectionsOf(e.input))).length > 0) {
        throw new ProblemException('identical-note-sections', {
          detail: 'Two attendees have the same individual section; write what each client did',
        });
      }
    }
    for (const { input, session } of entries)
      await this.assertPlanGoals(tx, session.episode_id, input.goalIdsAddressed);
    return entries;
  }

  private async assertPlanGoals(
    tx: Transaction,
    episodeId: string,
    goalIds: readonly string[],
  ): Promise<void> {
    if (goalIds.length === 0) return;
    const [plan] = await tx.manager.query<{ goal_ids: string[] }[]>(
      `SELECT goal_ids FROM ${table('treatment_plans')} WHERE episode_id = $1 ORDER BY version DESC, signed_at DESC LIMIT 1`,
      [episodeId],
    );
    const goals = new Set(plan?.goal_ids ?? []);
    if (goalIds.some((id) => !goals.has(id.toLowerCase()))) {
      throw unprocessable("A goal is not in the client's current signed treatment plan");
    }
  }

  private async assertNotNoted(
    tx: Transaction,
    kind: NoteKind,
    occurrenceId: string,
    entries: readonly CheckedEntry[],
    except?: string,
  ): Promise<void> {
    const [taken] = await tx.manager.query<unknown[]>(
      `SELECT 1 FROM ${table('notes')} n LEFT JOIN ${table('note_entries')} e USING (note_id)
        WHERE n.note_id IS DISTINCT FROM $3::uuid
          AND ((n.kind = 'group' AND $1 = 'group' AND n.occurrence_id = $2) OR e.appointment_id = ANY($4::uuid[]))
        LIMIT 1`,
      [kind, occurrenceId, except ?? null, entries.map((e) => e.session.appointment_id)],
    );
    if (taken !== undefined)
      throw new ProblemException('conflict', { detail: 'The session already has a note' });
  }

  private sealShared(dataKey: DataKey, noteId: string, shared: SharedSectionDto | undefined): Buffer | null {
    return shared === undefined
      ? null
      : this.cipher.seal(
          dataKey,
          { topic: shared.topic, interventions: shared.interventions },
          sharedContext(noteId),
        );
  }

  private async writeEntries(
    tx: Transaction,
    dataKey: DataKey,
    noteId: string,
    entries: readonly CheckedEntry[],
  ) {
    for (const { input, session } of entries) {
      await tx.manager.query(
        `INSERT INTO ${table('note_entries')} (note_id, appointment_id, client_id, episode_id, goal_ids, sections)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          noteId,
          session.appointment_id,
          session.client_id,
          session.episode_id,
          [...new Set(input.goalIdsAddressed.map((id) => id.toLowerCase()))],
          this.cipher.seal(dataKey, sectionsOf(input), entryContext(noteId, session.appointment_id)),
        ],
      );
    }
  }

  /** Loads a note for `action`: 404 when missing or of another site (that refusal audited as denied). */
  private async load(tx: Transaction, actor: Actor, noteId: string, action: string): Promise<NoteRow> {
    const [note] = await tx.manager.query<NoteRow[]>(
      `SELECT * FROM ${table('notes')} WHERE note_id = $1 FOR UPDATE`,
      [noteId],
    );
    if (note === undefined) throw new ProblemException('not-found', { detail: 'No such note' });
    await this.sites.assertAccess(actor, tx.manager, note.site_id, {
      action,
      resourceType: 'note',
      resourceId: noteId,
    });
    return note;
  }

  private entries(tx: Transaction, noteId: string): Promise<EntryRow[]> {
    return tx.manager.query<EntryRow[]>(
      `SELECT appointment_id, client_id, episode_id, goal_ids, sections FROM ${table('note_entries')}
        WHERE note_id = $1 ORDER BY appointment_id`,
      [noteId],
    );
  }

  private async announce(
    tx: Transaction,
    note: NoteRow,
    entries: readonly EntryRow[],
    signedBy: string,
    at: Date,
  ) {
    for (const entry of entries) {
      await tx.publish('NoteSigned', {
        noteId: note.note_id,
        clientId: entry.client_id,
        episodeId: entry.episode_id,
        siteId: note.site_id,
        appointmentId: entry.appointment_id,
        format: note.format,
        goalIdsAddressed: entry.goal_ids,
        signedBy,
        signedAt: at.toISOString(),
      });
    }
  }

  /** Audits `action` once per client of the note, then answers the note as it now is. */
  private async finish(
    tx: Transaction,
    actor: Actor,
    noteId: string,
    siteId: string,
    action: string,
    clientIds: readonly string[],
  ): Promise<NoteView> {
    for (const clientId of new Set(clientIds)) {
      await this.sites.allowed(
        actor,
        { action, resourceType: 'note', resourceId: noteId, clientId, siteId },
        tx.manager,
      );
    }
    return this.view(tx, noteId);
  }

  private async view(tx: Transaction, noteId: string): Promise<NoteView> {
    const [note] = await tx.manager.query<NoteRow[]>(`SELECT * FROM ${table('notes')} WHERE note_id = $1`, [
      noteId,
    ]);
    if (note === undefined) throw new ProblemException('not-found', { detail: 'No such note' });
    const dataKey = this.cipher.unwrap(noteId, note.kek_id, note.wrapped_key);
    const addenda = await tx.manager.query<
      { addendum_id: string; author_id: string; created_at: Date; body: Buffer }[]
    >(
      `SELECT addendum_id, author_id, created_at, body FROM ${table('note_addenda')} WHERE note_id = $1
        ORDER BY created_at, addendum_id`,
      [noteId],
    );
    return {
      noteId,
      siteId: note.site_id,
      occurrenceId: note.occurrence_id,
      kind: note.kind,
      format: note.format,
      status: note.status,
      cosignRequired: note.cosign_required,
      shared:
        note.shared_section === null
          ? null
          : this.cipher.open<SharedSectionDto>(dataKey, note.shared_section, sharedContext(noteId)),
      entries: (await this.entries(tx, noteId)).map((entry) => ({
        appointmentId: entry.appointment_id,
        clientId: entry.client_id,
        sections: this.cipher.open<Sections>(
          dataKey,
          entry.sections,
          entryContext(noteId, entry.appointment_id),
        ),
        goalIdsAddressed: entry.goal_ids,
      })),
      addenda: addenda.map((a): AddendumView => ({
        addendumId: a.addendum_id,
        authorId: a.author_id,
        createdAt: a.created_at.toISOString(),
        text: this.cipher.open<string>(dataKey, a.body, addendumContext(noteId, a.addendum_id)),
      })),
      signedBy: note.signed_by,
      signedAt: note.signed_at?.toISOString() ?? null,
      cosignedBy: note.cosigned_by,
      cosignedAt: note.cosigned_at?.toISOString() ?? null,
    };
  }
}
