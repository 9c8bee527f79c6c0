/**
 * Every event type declares one. `part2`: an SUD care fact, which needs a matching consent before it leaves the
 * treating program. `internal`: operational, no client care facts.
 */
export enum Confidentiality {
  Part2 = 'part2',
  Internal = 'internal',
}
