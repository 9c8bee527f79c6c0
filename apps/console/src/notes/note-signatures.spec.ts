import { describe, expect, it } from 'vitest';
import { type components } from '../api/generated/sessions';
import { cosignOffer, mayAmend } from './note-signatures';

type NoteView = components['schemas']['NoteView'];

const SIGNER = '5F000000-0000-4000-8000-000000000001';
const note = (status: NoteView['status']): NoteView =>
  ({
    noteId: 'n1',
    status,
    signedBy: status === 'draft' ? null : SIGNER.toLowerCase(),
    addenda: [],
    entries: [],
  }) as unknown as NoteView;

describe('co-signature and addenda offers', () => {
  it('offers a co-signature only on a note awaiting it, to a co-signing role, not to its signer', () => {
    expect(cosignOffer(note('awaiting-cosign'), 'another-staff', true)).toBe('offer');
    expect(cosignOffer(note('awaiting-cosign'), SIGNER, true)).toBe('own-signature');
    expect(cosignOffer(note('awaiting-cosign'), 'another-staff', false)).toBe('supervisor-needed');
    expect(cosignOffer(note('signed'), 'another-staff', true)).toBe('none');
    expect(cosignOffer(note('draft'), 'another-staff', true)).toBe('none');
  });

  it('offers addenda once a note is signed (awaiting co-signature or not), to those who write notes', () => {
    expect(mayAmend(note('signed'), true)).toBe(true);
    expect(mayAmend(note('awaiting-cosign'), true)).toBe(true);
    expect(mayAmend(note('draft'), true)).toBe(false);
    expect(mayAmend(note('signed'), false)).toBe(false);
  });
});
