import { Injectable } from '@nestjs/common';
import { type Transaction } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { NoteCipher } from './note-cipher';
import { addendumContext, entryContext, sharedContext } from './note-contexts';
import { type Sections } from './note-formats';
import { type AddendumView, type NoteView, type SharedSectionDto } from './note.dto';
import { type EntryRow, NOTE, type NoteRow, NotesRepository } from './notes.repository';

/** How every note use case ends: the access audited per client, then the note as it now is, in plain text. */
@Injectable()
export class NoteAnswers {
  constructor(
    private readonly notes: NotesRepository,
    private readonly scoped: ScopedRecords,
    private readonly cipher: NoteCipher,
  ) {}

  /** Audits `action` once per client of the note, then answers the note as it now is. */
  async answer(
    tx: Transaction,
    actor: Actor,
    note: Pick<NoteRow, 'note_id' | 'site_id'>,
    action: string,
    entries: readonly Pick<EntryRow, 'client_id'>[],
  ): Promise<NoteView> {
    for (const clientId of new Set(entries.map((e) => e.client_id))) {
      const record = { id: note.note_id, siteId: note.site_id, clientId };
      await this.scoped.audited(actor, action, NOTE, record, tx.manager);
    }
    return this.view(tx, note.note_id);
  }

  private async view(tx: Transaction, noteId: string): Promise<NoteView> {
    const note = await this.notes.note(tx.manager, noteId);
    if (note === undefined) throw new ProblemException('not-found', { detail: 'No such note' });
    const dataKey = this.cipher.unwrap(noteId, note.kek_id, note.wrapped_key);
    const addenda = await this.notes.addenda(tx.manager, noteId);
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
      entries: (await this.notes.entries(tx.manager, noteId)).map((entry) => ({
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
