import { type ProblemCode } from '../problems/problem-catalogue';

/** Limits on the shape of a parsed JSON body, beyond its size in bytes. */
export interface JsonShapeLimits {
  readonly maxDepth: number;
  readonly maxArrayLength: number;
}

export const DEFAULT_JSON_LIMITS: JsonShapeLimits = { maxDepth: 32, maxArrayLength: 1_000 };

/**
 * Property names that reach into an object's prototype chain. JSON.parse makes them ordinary own
 * properties, but any later `Object.assign`, spread or deep merge would turn them into prototype
 * pollution; no DTO has a field by these names, so they are refused outright.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ShapeViolation {
  readonly code: ProblemCode;
  readonly detail: string;
}

/**
 * Checks a parsed JSON value without recursion (so a hostile nesting cannot exhaust the stack): depth,
 * array lengths, forbidden keys and NUL characters (Postgres text cannot hold them, and they truncate
 * strings in C libraries). Returns the first violation, or undefined when the value is acceptable.
 */
export function checkJsonShape(
  value: unknown,
  limits: JsonShapeLimits = DEFAULT_JSON_LIMITS,
): ShapeViolation | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined) break;
    const { value: item, depth, path } = current;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) {
        return { code: 'invalid-character', detail: `${path || 'The body'} contains a NUL character` };
      }
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limits.maxDepth) {
      return { code: 'body-too-deep', detail: `The body may nest at most ${limits.maxDepth} levels` };
    }
    if (Array.isArray(item)) {
      if (item.length > limits.maxArrayLength) {
        return {
          code: 'array-too-long',
          detail: `${path || 'The body'} has more than ${limits.maxArrayLength} items`,
        };
      }
      item.forEach((element, index) =>
        stack.push({ value: element, depth: depth + 1, path: `${path}[${index}]` }),
      );
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      if (FORBIDDEN_KEYS.has(key)) {
        return { code: 'forbidden-key', detail: `The property name "${key}" is not allowed` };
      }
      if (key.includes('\u0000'))
        return { code: 'invalid-character', detail: 'A property name contains a NUL character' };
      stack.push({ value: child, depth: depth + 1, path: path === '' ? key : `${path}.${key}` });
    }
  }
  return undefined;
}
