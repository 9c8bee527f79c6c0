/**
 * The headers of every answer of the console. A clinical screen must not be framed, cached by shared caches,
 * leak its address in a Referer, or run script that the build did not ship: scripts come only from this origin,
 * styles from this origin or carrying this page's nonce (the component library writes its theme variables in a
 * <style> element), and the browser talks only to this origin (the services are behind /api) and the identity
 * provider.
 */
export function contentSecurityPolicy(nonce: string, issuer: string): string {
  const provider = new URL(issuer).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${provider}`,
    `form-action 'self' ${provider}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "manifest-src 'self'",
  ].join('; ');
}

export function securityHeaders(nonce: string, issuer: string, https: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(nonce, issuer),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * Caching: hashed build assets never change (a year, immutable); the page, its settings and every API answer
 * (client data) are never stored by the browser or any cache on the way.
 */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_NEVER = 'no-store';
