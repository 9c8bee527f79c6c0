import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { NoteAnswers } from './note-answers';
import { NoteCipher } from './note-cipher';
import { addendumContext } from './note-contexts';
import { type NoteView } from './note.dto';
import { NOTE, NotesRepository } from './notes.repository';

/** Amends a signed (or awaiting-cosign) note with an addendum; a draft is edited instead (409). */
@Injectable()
export class AddAddendum {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly notes: NotesRepository,
    private readonly answers: NoteAnswers,
    private readonly cipher: NoteCipher,
    private readonly clock: Clock,
  ) {}

  async addAddendum(actor: Actor, noteId: string, text: string): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.scoped.load(actor, NOTE, noteId, 'amend', tx.manager);
      if (note.status === 'draft') {
        throw new ProblemException('conflict', {
          detail: 'A draft is edited, not amended; addenda follow signing',
        });
      }
      const addendumId = randomUUID();
      const dataKey = this.cipher.unwrap(noteId, note.kek_id, note.wrapped_key);
      await this.notes.insertAddendum(tx.manager, noteId, {
        addendumId,
        authorId: actor.principal.id,
        at: this.clock.now(),
        body: this.cipher.seal(dataKey, text, addendumContext(noteId, addendumId)),
      });
      const entries = await this.notes.entries(tx.manager, noteId);
      return this.answers.answer(tx, actor, note, 'amend', entries);
    });
  }
}
