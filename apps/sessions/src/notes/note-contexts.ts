/** What each sealed text of a note is bound to, so ciphertext cannot be moved between notes or sections. */
export const sharedContext = (noteId: string): string => `note|${noteId}|shared`;
export const entryContext = (noteId: string, appointmentId: string): string =>
  `note|${noteId}|entry|${appointmentId}`;
export const addendumContext = (noteId: string, addendumId: string): string =>
  `note|${noteId}|addendum|${addendumId}`;
