import { InMemoryCareRules } from './care-rules';
import { RecordingUnitOfWork } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@stepwise/platform';
import { AddAddendum } from '../notes/add-addendum';
import { CosignNote } from '../notes/cosign-note';
import { CreateNote } from '../notes/create-note';
import { NoteAnswers } from '../notes/note-answers';
import { NoteDrafts } from '../notes/note-drafts';
import { ReadNote } from '../notes/read-note';
import { SignNote } from '../notes/sign-note';
import { UpdateDraft } from '../notes/update-draft';
import { type SessionRow } from '../notes/notes.repository';
import { InMemoryScopedRecords } from '@stepwise/security';
import { InMemorySites, noteCipher } from './doubles';
import { InMemoryNotes, aSession } from './notes';

/** Every note use case over the same in-memory notes, transaction, audit trail and clock. */

export function noteUseCases() {
  const uow = new RecordingUnitOfWork();
  const notes = new InMemoryNotes();
  const scoped = new InMemoryScopedRecords({ find: (_table, id) => notes.notes.get(id) });
  const cipher = noteCipher();
  const clock = new ManualClock('2025-03-03T16:00:00.000Z');
  const drafts = new NoteDrafts(notes, cipher);
  const answers = new NoteAnswers(notes, scoped, cipher);
  return {
    uow,
    notes,
    audit: scoped.trail,
    clock,
    create: new CreateNote(
      uow,
      scoped,
      new InMemorySites(),
      notes,
      drafts,
      answers,
      cipher,
      clock,
      new InMemoryCareRules(),
    ),
    update: new UpdateDraft(uow, scoped, notes, drafts, answers, cipher, clock),
    sign: new SignNote(uow, scoped, notes, answers, clock),
    cosign: new CosignNote(uow, scoped, notes, answers, clock),
    amend: new AddAddendum(uow, scoped, notes, answers, cipher, clock),
    read: new ReadNote(uow, scoped, notes, answers),
    /** An occurrence whose sessions are those given (default: two attendees). */
    occurrence(sessions: SessionRow[] = [aSession(), aSession()]): { id: string; sessions: SessionRow[] } {
      const id = randomUUID();
      notes.sessions.set(id, sessions);
      return { id, sessions };
    },
  };
}
