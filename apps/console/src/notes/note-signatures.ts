import { type components } from '../api/generated/sessions';

type NoteView = components['schemas']['NoteView'];

/** What the parts shown under a saved note take: the note, how to show its next state, staff names. */
export interface NotePartProps {
  note: NoteView;
  onChange: (note: NoteView) => void;
  staffName: (staffId: string) => string;
}

/** Every note route answers the note as it now is; an empty answer is a fault, not a note. */
export function noteOf(data: NoteView | undefined): NoteView {
  if (data === undefined) throw new Error('The service answered no note');
  return data;
}

/**
 * The signer and co-signer ids of a note. The sessions snapshot documents them as nullable without a type, so
 * they are read as strings here and nothing else.
 */
export function signatures(note: NoteView): {
  signedBy?: string;
  signedAt?: string;
  cosignedBy?: string;
  cosignedAt?: string;
} {
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    signedBy: text(note.signedBy),
    signedAt: text(note.signedAt),
    cosignedBy: text(note.cosignedBy),
    cosignedAt: text(note.cosignedAt),
  };
}

/**
 * What the person looking at a note is offered about its co-signature, following the sessions service:
 * only a note awaiting it can be co-signed, only with notes:cosign, and never by the clinician who signed it.
 *
 * - `none`: nothing to co-sign (a draft, or signed and complete)
 * - `offer`: this person may co-sign now
 * - `own-signature`: a supervisor who signed it themselves; another clinician must co-sign
 * - `supervisor-needed`: this person's role may not co-sign
 */
export type CosignOffer = 'none' | 'offer' | 'own-signature' | 'supervisor-needed';

export function cosignOffer(note: NoteView, staffId: string, mayCosign: boolean): CosignOffer {
  if (note.status !== 'awaiting-cosign') return 'none';
  if (!mayCosign) return 'supervisor-needed';
  return signatures(note).signedBy?.toLowerCase() === staffId.toLowerCase() ? 'own-signature' : 'offer';
}

/** Addenda follow signing (a draft is edited instead), and only for those who write notes. */
export const mayAmend = (note: NoteView, mayWriteNotes: boolean): boolean =>
  mayWriteNotes && note.status !== 'draft';

/** An instant as people at the site read it (the browser's zone unless given). */
export function formatInstant(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}
