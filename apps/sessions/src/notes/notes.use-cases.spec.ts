import { randomUUID } from 'node:crypto';
import { LevelOfCare, NoteFormat, Population } from '@stepwise/contracts';
import { OTHER_SITE_ID, clinician, problemOf } from '../testing/doubles';
import { aGroupNote, aSession, anEntry } from '../testing/notes';
import { noteUseCases } from '../testing/note-use-cases';

describe('CreateNote', () => {
  it('drafts a group note with each attendee’s section, readable in plain text, audited per client', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const author = clinician();

    const note = await t.create.create(author, aGroupNote(occ.id, occ.sessions));

    expect(note).toMatchObject({ status: 'draft', kind: 'group', cosignRequired: false, signedBy: null });
    expect(note.shared).toEqual({ topic: 'Coping with cravings', interventions: 'CBT skills practice' });
    expect(note.entries.map((e) => e.clientId).sort()).toEqual(occ.sessions.map((s) => s.client_id).sort());
    expect(note.entries[0]?.sections.assessment).toBe('Engaged');
    expect(t.audit.outcomes()).toEqual(['create:note:allowed', 'create:note:allowed']);
    expect(t.uow.published).toEqual([]);
  });

  it('requires a co-signature when a client’s track does (adolescent IOP)', async () => {
    const t = noteUseCases();
    const occ = t.occurrence([aSession({ population: Population.Adolescent }), aSession()]);

    const note = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    expect(note.cosignRequired).toBe(true);
  });

  it('answers 404 for an occurrence sessions does not know', async () => {
    const t = noteUseCases();

    expect(await problemOf(t.create.create(clinician(), aGroupNote(randomUUID(), [aSession()])))).toEqual({
      code: 'not-found',
      detail: 'No such session occurrence',
    });
  });

  it('answers 404 for another site’s occurrence and audits the denial', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();

    const problem = await problemOf(
      t.create.create(clinician([OTHER_SITE_ID]), aGroupNote(occ.id, occ.sessions)),
    );

    expect(problem.code).toBe('not-found');
    expect(t.audit.outcomes()).toEqual(['create:note:denied']);
    expect(t.notes.notes.size).toBe(0);
  });

  it('refuses a group note missing an attendee’s section (422 note-sections-mismatch)', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();

    const problem = await problemOf(
      t.create.create(clinician(), aGroupNote(occ.id, occ.sessions.slice(0, 1))),
    );

    expect(problem).toEqual({
      code: 'note-sections-mismatch',
      detail: '1 attendee(s) have no individual section',
    });
  });

  it('refuses a section for a client who did not attend', async () => {
    const t = noteUseCases();
    const occ = t.occurrence([aSession(), aSession({ outcome: 'absent' })]);

    const problem = await problemOf(t.create.create(clinician(), aGroupNote(occ.id, occ.sessions)));

    expect(problem.code).toBe('note-sections-mismatch');
  });

  it('refuses two identical individual sections (422 identical-note-sections)', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const input = aGroupNote(occ.id, occ.sessions);
    const sections = { data: 'Same words for everyone', assessment: 'Engaged', plan: 'Continue' };
    const copy = { ...input, entries: input.entries.map((e) => ({ ...e, sections })) };

    expect((await problemOf(t.create.create(clinician(), copy))).code).toBe('identical-note-sections');
  });

  it("refuses a goal that is not in the client's current plan", async () => {
    const t = noteUseCases();
    const session = aSession();
    const occ = t.occurrence([session]);
    t.notes.goals.set(session.episode_id, [randomUUID()]);
    const input = { ...aGroupNote(occ.id, occ.sessions), entries: [anEntry(session, [randomUUID()])] };

    expect(await problemOf(t.create.create(clinician(), input))).toEqual({
      code: 'unprocessable',
      detail: "A goal is not in the client's current signed treatment plan",
    });
  });

  it('keeps the plan goals a section addresses', async () => {
    const t = noteUseCases();
    const session = aSession();
    const occ = t.occurrence([session]);
    const goal = randomUUID();
    t.notes.goals.set(session.episode_id, [goal]);
    const input = { ...aGroupNote(occ.id, occ.sessions), entries: [anEntry(session, [goal.toUpperCase()])] };

    const note = await t.create.create(clinician(), input);

    expect(note.entries[0]?.goalIdsAddressed).toEqual([goal]);
  });

  it('refuses a second note for the same session (409)', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    expect(await problemOf(t.create.create(clinician(), aGroupNote(occ.id, occ.sessions)))).toEqual({
      code: 'conflict',
      detail: 'The session already has a note',
    });
  });

  it('refuses an individual note with a shared section', async () => {
    const t = noteUseCases();
    const occ = t.occurrence([aSession()]);
    const input = { ...aGroupNote(occ.id, occ.sessions), kind: 'individual' as const };

    expect((await problemOf(t.create.create(clinician(), input))).detail).toBe(
      'An individual note has no shared section',
    );
  });
});

describe('UpdateDraft', () => {
  it('replaces the draft’s text', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));
    const content = aGroupNote(occ.id, occ.sessions);

    const note = await t.update.update(clinician(), draft.noteId, {
      ...content,
      shared: { topic: 'Relapse prevention', interventions: 'Role play' },
    });

    expect(note.shared?.topic).toBe('Relapse prevention');
    expect(note.entries).toHaveLength(2);
    expect(t.audit.outcomes().slice(-2)).toEqual(['update:note:allowed', 'update:note:allowed']);
  });

  it('answers 409 note-signed once the note is signed', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));
    await t.sign.sign(clinician(), draft.noteId);

    const problem = await problemOf(
      t.update.update(clinician(), draft.noteId, aGroupNote(occ.id, occ.sessions)),
    );

    expect(problem.code).toBe('note-signed');
  });

  it('answers 404 for a note of another site, audited as denied', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    const problem = await problemOf(
      t.update.update(clinician([OTHER_SITE_ID]), draft.noteId, aGroupNote(occ.id, occ.sessions)),
    );

    expect(problem).toEqual({ code: 'not-found', detail: 'No such note' });
    expect(t.audit.outcomes().at(-1)).toBe('update:note:denied');
  });
});

describe('SignNote', () => {
  it('signs the draft and publishes NoteSigned per client, ids and codes only', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));
    const signer = clinician();

    const note = await t.sign.sign(signer, draft.noteId);

    expect(note).toMatchObject({
      status: 'signed',
      signedBy: signer.principal.id,
      signedAt: t.clock.now().toISOString(),
    });
    const events = t.uow.payloads('NoteSigned');
    expect(events.map((e) => e.clientId).sort()).toEqual(occ.sessions.map((s) => s.client_id).sort());
    expect(events[0]).toEqual({
      noteId: draft.noteId,
      clientId: expect.any(String),
      episodeId: expect.any(String),
      siteId: draft.siteId,
      appointmentId: expect.any(String),
      format: NoteFormat.Dap,
      goalIdsAddressed: [],
      signedBy: signer.principal.id,
      signedAt: '2025-03-03T16:00:00.000Z',
    });
  });

  it('waits for a co-signature, publishing nothing, where the track requires one', async () => {
    const t = noteUseCases();
    const occ = t.occurrence([aSession({ level_of_care: LevelOfCare.PartialHospitalization })]);
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    const note = await t.sign.sign(clinician(), draft.noteId);

    expect(note.status).toBe('awaiting-cosign');
    expect(t.uow.published).toEqual([]);
  });

  it('answers 409 note-signed for a note already signed', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));
    await t.sign.sign(clinician(), draft.noteId);

    expect((await problemOf(t.sign.sign(clinician(), draft.noteId))).code).toBe('note-signed');
    expect(t.uow.payloads('NoteSigned')).toHaveLength(2);
  });

  it('refuses to sign when the attendees changed since the draft (422 note-sections-mismatch)', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));
    t.notes.sessions.set(occ.id, [...occ.sessions, aSession()]);

    const problem = await problemOf(t.sign.sign(clinician(), draft.noteId));

    expect(problem.code).toBe('note-sections-mismatch');
    expect(t.notes.notes.get(draft.noteId)?.status).toBe('draft');
  });

  it('needs a staff member as signer', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    const problem = await problemOf(t.sign.sign(clinician(undefined, 'scheduling-service'), draft.noteId));

    expect(problem.detail).toBe('Signing needs a staff member (a token whose subject is a staff id)');
  });
});

describe('CosignNote', () => {
  async function awaitingCosign() {
    const t = noteUseCases();
    const occ = t.occurrence([aSession({ population: Population.Adolescent })]);
    const signer = clinician();
    const draft = await t.create.create(signer, aGroupNote(occ.id, occ.sessions));
    await t.sign.sign(signer, draft.noteId);
    return { t, signer, noteId: draft.noteId };
  }

  it('completes the signature and publishes NoteSigned naming the signer', async () => {
    const { t, signer, noteId } = await awaitingCosign();
    const supervisor = clinician();
    t.clock.advance(60_000);

    const note = await t.cosign.cosign(supervisor, noteId);

    expect(note).toMatchObject({ status: 'signed', cosignedBy: supervisor.principal.id });
    expect(t.uow.payloads('NoteSigned')).toEqual([
      expect.objectContaining({ signedBy: signer.principal.id, signedAt: '2025-03-03T16:01:00.000Z' }),
    ]);
  });

  it('refuses the signer as co-signer (422)', async () => {
    const { t, signer, noteId } = await awaitingCosign();

    expect((await problemOf(t.cosign.cosign(signer, noteId))).detail).toBe(
      'The co-signer must be another clinician than the signer',
    );
  });

  it('answers 409 for a note not awaiting co-signature', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    expect((await problemOf(t.cosign.cosign(clinician(), draft.noteId))).code).toBe('conflict');
  });
});

describe('AddAddendum', () => {
  it('adds an addendum to a signed note, shown with the note', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));
    await t.sign.sign(clinician(), draft.noteId);
    const author = clinician();

    const note = await t.amend.addAddendum(author, draft.noteId, 'Late entry: client called after group');

    expect(note.addenda).toEqual([
      expect.objectContaining({
        authorId: author.principal.id,
        text: 'Late entry: client called after group',
      }),
    ]);
    expect(t.audit.outcomes().slice(-2)).toEqual(['amend:note:allowed', 'amend:note:allowed']);
  });

  it('answers 409 for a draft (a draft is edited instead)', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    expect((await problemOf(t.amend.addAddendum(clinician(), draft.noteId, 'text'))).code).toBe('conflict');
  });
});

describe('ReadNote', () => {
  it('answers the note in plain text and audits the read once per client', async () => {
    const t = noteUseCases();
    const occ = t.occurrence();
    const draft = await t.create.create(clinician(), aGroupNote(occ.id, occ.sessions));

    const note = await t.read.read(clinician(), draft.noteId);

    expect(note).toEqual(draft);
    expect(
      t.audit.entries
        .filter((e) => e.action === 'read')
        .map((e) => e.clientId)
        .sort(),
    ).toEqual(occ.sessions.map((s) => s.client_id).sort());
  });

  it('answers 404 for an unknown note', async () => {
    const t = noteUseCases();

    expect(await problemOf(t.read.read(clinician(), randomUUID()))).toEqual({
      code: 'not-found',
      detail: 'No such note',
    });
  });
});
