import { Injectable } from '@nestjs/common';
import { type NoteFormat } from '@stepwise/contracts';
import { ProblemException } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { type DataKey, NoteCipher } from './note-cipher';
import { entryContext, sharedContext } from './note-contexts';
import { type NoteContentDto, type NoteKind, type SharedSectionDto } from './note.dto';
import { type CheckedEntry, checkEntries, sectionsOf, unprocessable } from './note-rules';
import { NotesRepository, type SessionRow } from './notes.repository';

/** What creating and replacing a draft share: checking its content and writing it sealed. */
@Injectable()
export class NoteDrafts {
  constructor(
    private readonly notes: NotesRepository,
    private readonly cipher: NoteCipher,
  ) {}

  /** The content rules, and every goal addressed in the client's current signed treatment plan. */
  async check(
    m: EntityManager,
    kind: NoteKind,
    format: NoteFormat,
    content: NoteContentDto,
    sessions: readonly SessionRow[],
  ): Promise<CheckedEntry[]> {
    const entries = checkEntries(kind, format, content, sessions);
    for (const { input, session } of entries) {
      if (input.goalIdsAddressed.length === 0) continue;
      const goals = new Set(await this.notes.planGoals(m, session.episode_id));
      if (input.goalIdsAddressed.some((id) => !goals.has(id.toLowerCase()))) {
        throw unprocessable("A goal is not in the client's current signed treatment plan");
      }
    }
    return entries;
  }

  /** 409 when another note already covers the group occurrence or one of the appointments. */
  async assertNotNoted(
    m: EntityManager,
    kind: NoteKind,
    occurrenceId: string,
    entries: readonly CheckedEntry[],
    except?: string,
  ): Promise<void> {
    const appointmentIds = entries.map((e) => e.session.appointment_id);
    if (await this.notes.isNoted(m, kind, occurrenceId, appointmentIds, except ?? null))
      throw new ProblemException('conflict', { detail: 'The session already has a note' });
  }

  sealShared(dataKey: DataKey, noteId: string, shared: SharedSectionDto | undefined): Buffer | null {
    return shared === undefined
      ? null
      : this.cipher.seal(
          dataKey,
          { topic: shared.topic, interventions: shared.interventions },
          sharedContext(noteId),
        );
  }

  async writeEntries(
    m: EntityManager,
    dataKey: DataKey,
    noteId: string,
    entries: readonly CheckedEntry[],
  ): Promise<void> {
    for (const { input, session } of entries) {
      await this.notes.insertEntry(m, noteId, {
        appointmentId: session.appointment_id,
        clientId: session.client_id,
        episodeId: session.episode_id,
        goalIds: [...new Set(input.goalIdsAddressed.map((id) => id.toLowerCase()))],
        sections: this.cipher.seal(dataKey, sectionsOf(input), entryContext(noteId, session.appointment_id)),
      });
    }
  }
}
