import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsUuidList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { NoteFormat } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';

/** The fact that a note was signed, never its text. */
export class NoteSignedV1Payload {
  @IsUUID()
  readonly noteId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsUUID()
  readonly appointmentId!: string;

  @IsEnum(NoteFormat)
  readonly format!: NoteFormat;

  @IsUuidList(0, 50)
  @Describe('Treatment plan goals the session addressed (the "golden thread" auditors check).')
  readonly goalIdsAddressed!: readonly string[];

  @IsUUID()
  @Describe('Staff id of the signing clinician.')
  readonly signedBy!: string;

  @IsInstant()
  readonly signedAt!: string;
}

export const NoteSigned = defineEvent({
  type: 'NoteSigned',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: NoteSignedV1Payload,
  summary:
    'A session note for a client was signed (it is immutable from now on; the text never leaves sessions).',
});
