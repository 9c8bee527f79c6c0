import { Injectable } from '@nestjs/common';
import { EnvelopeCipher } from '@stepwise/platform';
import { SessionsConfig } from '../config/sessions.config';

export type { DataKey } from '@stepwise/platform';

/**
 * Envelope encryption of note text (architecture.md: free-text PHI is encrypted by the application), with the
 * key-encryption keys of `NOTES_KEK`, `NOTES_KEK_ID` and `NOTES_RETIRED_KEKS`. Each note gets its own data
 * key; sections are sealed bound to the note and the section, so ciphertext cannot be moved between them.
 */
@Injectable()
export class NoteCipher extends EnvelopeCipher {
  constructor(config: SessionsConfig) {
    super(
      { kek: config.NOTES_KEK, kekId: config.NOTES_KEK_ID, retired: config.NOTES_RETIRED_KEKS },
      'note',
      'NOTES_RETIRED_KEKS',
    );
  }
}
