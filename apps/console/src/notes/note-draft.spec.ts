import { describe, expect, it } from 'vitest';
import {
  draftFromNote,
  draftProblems,
  type GroupNoteDraft,
  repeatedSections,
  toNoteContent,
} from './note-draft';
import { signedPlanGoals } from './plan-goals';

const draft: GroupNoteDraft = {
  format: 'DAP',
  topic: 'Coping with cravings',
  interventions: 'Urge surfing practice',
  sections: {
    a1: {
      data: 'Shared a trigger',
      assessment: 'Engaged',
      plan: 'Practise daily',
      subjective: 'left from SOAP',
    },
    a2: { data: 'Quiet', assessment: '' },
  },
};

describe('group note draft', () => {
  it("names each attendee's blank sections of the chosen format", () => {
    const label = (id: string): string => (id === 'a1' ? 'First' : 'Second');
    expect(draftProblems(draft, ['a1', 'a2'], label)).toEqual([
      'Second: assessment is blank',
      'Second: plan is blank',
    ]);
    expect(draftProblems({ ...draft, topic: ' ' }, ['a1'], label)).toEqual([
      'Shared section: topic is blank',
    ]);
  });

  it('sends only the attendees given and only their format sections', () => {
    const content = toNoteContent(draft, ['a1']);
    expect(content.entries).toEqual([
      {
        appointmentId: 'a1',
        sections: { data: 'Shared a trigger', assessment: 'Engaged', plan: 'Practise daily' },
        goalIdsAddressed: [],
      },
    ]);
    expect(content.shared).toEqual({ topic: 'Coping with cravings', interventions: 'Urge surfing practice' });
  });

  it('finds attendees whose sections read the same apart from case, spacing and punctuation', () => {
    const same: GroupNoteDraft = {
      ...draft,
      sections: {
        a1: { data: 'Shared a trigger.', assessment: 'Engaged', plan: 'Practise daily' },
        a2: { data: 'shared  a trigger', assessment: 'ENGAGED!', plan: 'practise, daily' },
        a3: { data: 'Quiet', assessment: 'Withdrawn', plan: 'Check in' },
      },
    };
    expect(repeatedSections(same, ['a1', 'a2', 'a3'])).toEqual([['a1', 'a2']]);
    expect(draftProblems(same, ['a1', 'a2', 'a3'], (id) => id.toUpperCase())).toEqual([
      'A2 has the same sections as A1: write what each client did',
    ]);
    expect(repeatedSections(same, ['a1', 'a3'])).toEqual([]);
  });

  it("sends each attendee's linked goals, and reopens a saved note as the draft it was", () => {
    const withGoals = { ...draft, goals: { a1: ['g1', 'g2'] } };
    expect(toNoteContent(withGoals, ['a1', 'a2']).entries.map((e) => e.goalIdsAddressed)).toEqual([
      ['g1', 'g2'],
      [],
    ]);
    const reopened = draftFromNote({
      format: 'DAP',
      shared: { topic: 'T', interventions: 'I' },
      entries: [{ appointmentId: 'a1', clientId: 'c1', sections: { data: 'D' }, goalIdsAddressed: ['g1'] }],
    } as unknown as Parameters<typeof draftFromNote>[0]);
    expect(reopened).toEqual({
      format: 'DAP',
      topic: 'T',
      interventions: 'I',
      sections: { a1: { data: 'D' } },
      goals: { a1: ['g1'] },
    });
  });

  it('offers the goals of the newest signed plan version only', () => {
    const plan = (version: number, status: 'draft' | 'signed' | 'superseded', goalId: string) =>
      ({
        version,
        status,
        problems: [
          { description: 'P', goals: [{ id: goalId, description: goalId }, { description: 'no id' }] },
        ],
      }) as unknown as Parameters<typeof signedPlanGoals>[0][number];
    expect(
      signedPlanGoals([plan(3, 'draft', 'g3'), plan(2, 'signed', 'g2'), plan(1, 'superseded', 'g1')]),
    ).toEqual([{ id: 'g2', description: 'g2', problem: 'P' }]);
    expect(signedPlanGoals([plan(1, 'draft', 'g1')])).toEqual([]);
  });
});
