import { type Bundle, type OperationOutcome, type Resource } from '@medplum/fhirtypes';
import { SYSTEMS, STEPWISE_FHIR_BASE } from '../code-systems';

/** What a disclosed resource carries of the 42 CFR 2.32 notice and the consent's redisclosure statement. */
export interface DisclosureNoticeRef {
  readonly noticeVersion: string;
  readonly noticeText: string;
  readonly redisclosureVersion: string;
  readonly redisclosureText: string;
}

const NOTICE_TAG_SYSTEM = `${STEPWISE_FHIR_BASE}/CodeSystem/disclosure-notice`;

/**
 * Marks a disclosed resource as Part 2 data (HL7 security labels in `meta.security`: the `42CFRPart2`
 * privacy law and the `NORDSCLCD` refrain policy — no redisclosure without consent) and names the notice and
 * redisclosure statement versions it was disclosed under in `meta.tag`.
 */
export function withPart2Labels<T extends Resource>(resource: T, notice: DisclosureNoticeRef): T {
  return {
    ...resource,
    meta: {
      ...resource.meta,
      security: [
        { system: SYSTEMS.actCode, code: '42CFRPart2', display: '42 CFR Part2' },
        {
          system: SYSTEMS.actCode,
          code: 'NORDSCLCD',
          display: 'no redisclosure without consent directive',
        },
      ],
      tag: [
        { system: NOTICE_TAG_SYSTEM, code: notice.noticeVersion },
        { system: NOTICE_TAG_SYSTEM, code: notice.redisclosureVersion },
      ],
    },
  };
}

/**
 * The notice and the redisclosure statement in full, as the informational OperationOutcome a searchset
 * Bundle may carry (`search.mode = outcome`).
 */
export function noticeOutcome(notice: DisclosureNoticeRef): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      { severity: 'information', code: 'informational', diagnostics: notice.noticeText },
      { severity: 'information', code: 'informational', diagnostics: notice.redisclosureText },
    ],
  };
}

/** A searchset with the notice added as its outcome entry. */
export function withNotice<T extends Resource>(bundle: Bundle<T>, notice: DisclosureNoticeRef): Bundle {
  return {
    ...bundle,
    entry: [...(bundle.entry ?? []), { resource: noticeOutcome(notice), search: { mode: 'outcome' } }],
  } as Bundle;
}
