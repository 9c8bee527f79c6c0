import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { NoteAnswers } from './note-answers';
import { type NoteView } from './note.dto';
import { staffId, unprocessable } from './note-rules';
import { announceSigned } from './note-signed';
import { NOTE, NotesRepository } from './notes.repository';

/** A supervisor's co-signature of a note awaiting it; the note is then signed and announced per client. */
@Injectable()
export class CosignNote {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly notes: NotesRepository,
    private readonly answers: NoteAnswers,
    private readonly clock: Clock,
  ) {}

  async cosign(actor: Actor, noteId: string): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.scoped.load(actor, NOTE, noteId, 'cosign', tx.manager);
      if (note.status !== 'awaiting-cosign') {
        throw new ProblemException('conflict', {
          detail: 'Only a signed note awaiting co-signature can be co-signed',
        });
      }
      const supervisor = staffId(actor);
      if (supervisor === note.signed_by)
        throw unprocessable('The co-signer must be another clinician than the signer');
      const now = this.clock.now();
      await this.notes.markCosigned(tx.manager, noteId, supervisor, now);
      const entries = await this.notes.entries(tx.manager, noteId);
      // The event names the clinician who signed; the co-signer only when no signer was recorded.
      await announceSigned(tx, note, entries, note.signed_by ?? supervisor, now);
      return this.answers.answer(tx, actor, note, 'cosign', entries);
    });
  }
}
