/** W3C Trace Context `traceparent`: version-traceid-parentid-flags, lower-case hex. */
const TRACEPARENT_V00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// Later versions may append fields; a parser must still read the first four (W3C Trace Context, section 3.2.4).
const TRACEPARENT_FUTURE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export function isValidTraceparent(value: string): boolean {
  const current = TRACEPARENT_V00.exec(value);
  if (current) return !/^0+$/.test(current[1] ?? '') && !/^0+$/.test(current[2] ?? '');
  const future = TRACEPARENT_FUTURE.exec(value);
  if (!future || future[1] === '00' || future[1] === 'ff') return false;
  return !/^0+$/.test(future[2] ?? '') && !/^0+$/.test(future[3] ?? '');
}
