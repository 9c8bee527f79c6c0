import { NoteFormat } from '@stepwise/contracts';
import { identicalSections, sectionProblems } from './note-formats';

describe('note formats', () => {
  it.each([
    [NoteFormat.Soap, { subjective: 's', objective: 'o', assessment: 'a', plan: 'p' }],
    [NoteFormat.Dap, { data: 'd', assessment: 'a', plan: 'p' }],
    [NoteFormat.Birp, { behavior: 'b', intervention: 'i', response: 'r', plan: 'p' }],
    [NoteFormat.Girp, { goal: 'g', intervention: 'i', response: 'r', plan: 'p' }],
  ])('accepts a complete %s note', (format, sections) => {
    expect(sectionProblems(format, sections)).toEqual([]);
  });

  it('names missing, blank and foreign sections', () => {
    expect(sectionProblems(NoteFormat.Dap, { data: 'd', assessment: '  ', subjective: 's' })).toEqual([
      'assessment is required in a DAP note',
      'plan is required in a DAP note',
      'subjective is not a section of a DAP note',
    ]);
  });

  it('finds individual sections that repeat another attendee, ignoring case, spacing and punctuation', () => {
    const a = { data: 'Engaged in role play.', assessment: 'Improving', plan: 'Continue' };
    const b = { data: 'engaged in role play', assessment: 'improving!', plan: '  continue ' };
    const c = { data: 'Quiet, left early', assessment: 'At risk', plan: 'Call tomorrow' };
    expect(identicalSections([a, c])).toEqual([]);
    expect(identicalSections([a, c, b])).toEqual([2]);
  });
});
