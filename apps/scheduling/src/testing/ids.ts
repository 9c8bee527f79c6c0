/*
 * The ids the scheduling unit tests share, so that "site A" or "the client" is one value in every world: valid
 * UUIDs (the contracts validate the events carrying them) whose first digits say what they are.
 */

/** Site A, in New York, where the worlds' records are; site B, the other site of the network. */
export const SITE_A = 'a0000000-0000-4000-8000-00000000000a';
export const SITE_B = 'b0000000-0000-4000-8000-00000000000b';
/** The program track at site A. */
export const TRACK = '70000000-0000-4000-8000-000000000001';
/** The counselor at site A: facilitator of its groups and primary counselor of its clients. */
export const STAFF = '50000000-0000-4000-8000-000000000001';
export const CLIENT = 'c0000000-0000-4000-8000-000000000001';
export const EPISODE = 'e0000000-0000-4000-8000-000000000001';
