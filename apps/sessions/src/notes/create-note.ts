import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { SitesRepository } from '../projections/sites.repository';
import { NoteAnswers } from './note-answers';
import { NoteCipher } from './note-cipher';
import { NoteDrafts } from './note-drafts';
import { type CreateNoteDto, type NoteView } from './note.dto';
import { cosignRequired } from './note-rules';
import { NotesRepository } from './notes.repository';

/**
 * Drafts a session note: a group note has a shared section and one individual section per attendee, an
 * individual note one section. Whether it will need a co-signature is fixed now, from the clients' tracks.
 */
@Injectable()
export class CreateNote {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly sites: SitesRepository,
    private readonly notes: NotesRepository,
    private readonly drafts: NoteDrafts,
    private readonly answers: NoteAnswers,
    private readonly cipher: NoteCipher,
    private readonly clock: Clock,
    private readonly careRules: CareRulesRepository,
  ) {}

  async create(actor: Actor, input: CreateNoteDto): Promise<NoteView> {
    return this.uow.run(async (tx) => {
      const noteId = randomUUID();
      const sessions = await this.notes.sessionsOf(tx.manager, input.occurrenceId);
      const siteId = sessions[0]?.site_id;
      if (siteId === undefined)
        throw new ProblemException('not-found', { detail: 'No such session occurrence' });
      await this.scoped.assertSite(actor, await this.sites.site(tx.manager, siteId), {
        action: 'create',
        resourceType: 'note',
        resourceId: noteId,
      });
      const entries = await this.drafts.check(tx.manager, input.kind, input.format, input, sessions);
      await this.drafts.assertNotNoted(tx.manager, input.kind, input.occurrenceId, entries);
      const dataKey = this.cipher.newDataKey(noteId);
      await this.notes.insertNote(tx.manager, {
        noteId,
        siteId,
        occurrenceId: input.occurrenceId,
        kind: input.kind,
        format: input.format,
        cosignRequired: cosignRequired(entries, (await this.careRules.inForce(tx.manager)).progress),
        kekId: dataKey.kekId,
        wrappedKey: dataKey.wrapped,
        sharedSection: this.drafts.sealShared(dataKey, noteId, input.shared),
        authorId: actor.principal.id,
        at: this.clock.now(),
      });
      await this.drafts.writeEntries(tx.manager, dataKey, noteId, entries);
      const clients = entries.map((e) => ({ client_id: e.session.client_id }));
      return this.answers.answer(tx, actor, { note_id: noteId, site_id: siteId }, 'create', clients);
    });
  }
}
