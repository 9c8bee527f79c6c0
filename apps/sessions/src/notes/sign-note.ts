import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { NoteAnswers } from './note-answers';
import { type NoteView } from './note.dto';
import { matchesAttendees, staffId, unprocessable } from './note-rules';
import { announceSigned } from './note-signed';
import { NOTE, NotesRepository } from './notes.repository';

/**
 * Signs a draft, which is immutable from then on: NoteSigned per client, or awaiting-cosign (and no event yet)
 * where a client's track requires a supervisor's co-signature.
 */
@Injectable()
export class SignNote {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly notes: NotesRepository,
    private readonly answers: NoteAnswers,
    private readonly clock: Clock,
  ) {}

  async sign(actor: Actor, noteId: string): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const note = await this.scoped.load(actor, NOTE, noteId, 'sign', tx.manager);
      if (note.status !== 'draft')
        throw new ProblemException('note-signed', { detail: 'The note is already signed' });
      const signer = staffId(actor);
      const entries = await this.notes.entries(tx.manager, noteId);
      // Before reading who attended: a correction in flight commits first (and is checked below) or waits.
      await this.notes.lockAppointments(
        tx.manager,
        entries.map((e) => e.appointment_id),
      );
      if (note.kind === 'group') {
        // Attendance may have been corrected since the draft: the signed note must match who attended.
        const sessions = await this.notes.sessionsOf(tx.manager, note.occurrence_id);
        if (
          !matchesAttendees(
            sessions,
            entries.map((e) => e.appointment_id),
          )
        ) {
          throw unprocessable(
            'The attendees changed since the draft; update the individual sections',
            'note-sections-mismatch',
          );
        }
      }
      const now = this.clock.now();
      const status = note.cosign_required ? 'awaiting-cosign' : 'signed';
      await this.notes.markSigned(tx.manager, noteId, status, signer, now);
      if (status === 'signed') await announceSigned(tx, note, entries, signer, now);
      return this.answers.answer(tx, actor, note, 'sign', entries);
    });
  }
}
