// The notice is shared with every service that discloses (intake's FHIR API): it lives in the contracts.
export { DISCLOSURE_NOTICES, type DisclosureNotice, currentDisclosureNotice } from '@stepwise/contracts';
