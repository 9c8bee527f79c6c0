import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { NoteAnswers } from './note-answers';
import { type NoteView } from './note.dto';
import { NOTE, NotesRepository } from './notes.repository';

/** A note in plain text, decrypted for this reader; the read is audited once per client of the note. */
@Injectable()
export class ReadNote {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly notes: NotesRepository,
    private readonly answers: NoteAnswers,
  ) {}

  async read(actor: Actor, noteId: string): Promise<NoteView> {
    // In a transaction, as before: the note is locked while it is read and the reads are audited with it.
    return this.uow.run(async (tx) => {
      const note = await this.scoped.load(actor, NOTE, noteId, 'read', tx.manager);
      const entries = await this.notes.entries(tx.manager, noteId);
      return this.answers.answer(tx, actor, note, 'read', entries);
    });
  }
}
