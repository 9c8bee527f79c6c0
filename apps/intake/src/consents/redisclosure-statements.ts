/**
 * The redisclosure statement a §2.31 consent carries (2024 final rule: a single consent for treatment,
 * payment and health care operations must say that the record may be redisclosed as HIPAA permits, except in
 * proceedings against the patient), as versioned data. Each consent stores the version and the exact text it
 * was granted with; every disclosure under it carries that text.
 */
export const REDISCLOSURE_STATEMENTS = [
  {
    version: 'redisclosure@2024',
    text:
      'Information disclosed under this consent may be redisclosed by a recipient that is a covered entity or ' +
      'business associate only as the HIPAA regulations (45 CFR parts 160 and 164) permit, and never for use ' +
      'in civil, criminal, administrative or legislative proceedings against the patient. Any other recipient ' +
      'may not redisclose it unless this consent or 42 CFR part 2 expressly permits.',
  },
] as const;

export type RedisclosureStatement = (typeof REDISCLOSURE_STATEMENTS)[number];

/** The statement consents are granted with now: the last one listed. */
export function currentRedisclosureStatement(): RedisclosureStatement {
  const statement = REDISCLOSURE_STATEMENTS[REDISCLOSURE_STATEMENTS.length - 1];
  if (statement === undefined) throw new Error('no redisclosure statement');
  return statement;
}
