import { describe, expect, it } from 'vitest';
import { draftProblems, type GroupNoteDraft, toNoteContent } from './note-draft';

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
});
