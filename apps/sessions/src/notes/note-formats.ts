import { NoteFormat } from '@stepwise/contracts';

export const SECTION_NAMES = [
  'subjective',
  'objective',
  'data',
  'behavior',
  'goal',
  'intervention',
  'response',
  'assessment',
  'plan',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];
export type Sections = Partial<Record<SectionName, string>>;

/** The sections each standard note format requires, in the order clinicians write them. */
export const REQUIRED_SECTIONS: Readonly<Record<NoteFormat, readonly SectionName[]>> = {
  [NoteFormat.Soap]: ['subjective', 'objective', 'assessment', 'plan'],
  [NoteFormat.Dap]: ['data', 'assessment', 'plan'],
  [NoteFormat.Birp]: ['behavior', 'intervention', 'response', 'plan'],
  [NoteFormat.Girp]: ['goal', 'intervention', 'response', 'plan'],
};

/** What is wrong with one set of sections for a format: missing (or blank) sections and foreign ones. */
export function sectionProblems(format: NoteFormat, sections: Sections): string[] {
  const required = REQUIRED_SECTIONS[format];
  const problems: string[] = [];
  for (const name of required) {
    if ((sections[name] ?? '').trim() === '') problems.push(`${name} is required in a ${format} note`);
  }
  for (const name of Object.keys(sections) as SectionName[]) {
    if (!required.includes(name) && sections[name] !== undefined) {
      problems.push(`${name} is not a section of a ${format} note`);
    }
  }
  return problems;
}

/** Sections compared the way an auditor would: case, spacing and punctuation do not make text different. */
function fingerprint(sections: Sections): string {
  return SECTION_NAMES.map((name) =>
    (sections[name] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  ).join('|');
}

/**
 * Indexes of individual sections that repeat another attendee's: copy-pasted individual notes are a top
 * cause of payer denials, so a group note must say something of each client.
 */
export function identicalSections(entries: readonly Sections[]): number[] {
  const seen = new Map<string, number>();
  const repeats: number[] = [];
  entries.forEach((sections, index) => {
    const key = fingerprint(sections);
    if (seen.has(key)) repeats.push(index);
    else seen.set(key, index);
  });
  return repeats;
}
