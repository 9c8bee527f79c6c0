/** The public surface of a class: what a hand-written test double has to offer to replace it. */
export type PublicOf<T> = { [K in keyof T]: T[K] };

/**
 * A hand-written double as the class it replaces. A class with private fields is nominal in TypeScript, so a
 * double offering its whole public surface still needs this one cast to be injected in its place.
 */
export function standIn<T>(double: PublicOf<T>): T {
  return double as unknown as T;
}
