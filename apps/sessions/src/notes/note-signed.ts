import { type Transaction } from '@stepwise/messaging';
import { type EntryRow, type NoteRow } from './notes.repository';

/** Announces a note that is now fully signed: one NoteSigned per client — ids and codes, never the text. */
export async function announceSigned(
  tx: Transaction,
  note: Pick<NoteRow, 'note_id' | 'site_id' | 'format'>,
  entries: readonly EntryRow[],
  signedBy: string,
  at: Date,
): Promise<void> {
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
