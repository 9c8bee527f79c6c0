import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { NoteAnswers } from './note-answers';
import { NoteCipher } from './note-cipher';
import { NoteDrafts } from './note-drafts';
import { type NoteContentDto, type NoteView } from './note.dto';
import { NOTE, NotesRepository } from './notes.repository';

/** Replaces a draft's content; a signed note never changes (409 note-signed: corrections are addenda). */
@Injectable()
export class UpdateDraft {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly notes: NotesRepository,
    private readonly drafts: NoteDrafts,
    private readonly answers: NoteAnswers,
    private readonly cipher: NoteCipher,
    private readonly clock: Clock,
  ) {}

  async update(actor: Actor, noteId: string, content: NoteContentDto): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.scoped.load(actor, NOTE, noteId, 'update', tx.manager);
      if (note.status !== 'draft') {
        throw new ProblemException('note-signed', { detail: 'A signed note cannot change; add an addendum' });
      }
      const sessions = await this.notes.sessionsOf(tx.manager, note.occurrence_id);
      const entries = await this.drafts.check(tx.manager, note.kind, note.format, content, sessions);
      await this.notes.deleteEntries(tx.manager, noteId);
      await this.drafts.assertNotNoted(tx.manager, note.kind, note.occurrence_id, entries, noteId);
      const dataKey = this.cipher.unwrap(noteId, note.kek_id, note.wrapped_key);
      const shared = this.drafts.sealShared(dataKey, noteId, content.shared);
      await this.notes.updateShared(tx.manager, noteId, shared, this.clock.now());
      await this.drafts.writeEntries(tx.manager, dataKey, noteId, entries);
      const clients = entries.map((e) => ({ client_id: e.session.client_id }));
      return this.answers.answer(tx, actor, note, 'update', clients);
    });
  }
}
