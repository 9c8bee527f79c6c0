import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may go. Webhooks carry Part 2 data to a URL an administrator typed in, so the URL is a way
 * into the network the service runs in (SSRF) unless every address it leads to is checked: when the
 * subscription is made, and again at each delivery, where the name is resolved once, every answer checked,
 * and the connection made to the checked address (a name that answered a public address at subscription time
 * and a private one now — DNS rebinding — is refused).
 */
export interface DestinationPolicy {
  /** Production: `https` only and no loopback. Elsewhere plain `http` is allowed, to loopback only. */
  readonly production: boolean;
}

/** Resolves a host name to every address it has (the boundary tests replace to make names lie). */
export type HostResolver = (hostname: string) => Promise<readonly string[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((answer) => answer.address);

/** Why a destination is refused: a stable code for the 422 answer and the delivery log (never the URL). */
export type DestinationRefusal =
  | 'invalid-url'
  | 'https-required'
  | 'http-loopback-only'
  | 'credentials-in-url'
  | 'unresolvable'
  | 'private-address'
  | 'loopback-address'
  | 'link-local-address'
  | 'shared-address'
  | 'unique-local-address'
  | 'ipv4-mapped-address'
  | 'metadata-address'
  | 'special-address';

export class DestinationRefused extends Error {
  constructor(readonly refusal: DestinationRefusal) {
    super(`webhook destination refused: ${refusal}`);
    this.name = 'DestinationRefused';
  }
}

/**
 * Cloud instance-metadata endpoints, named so that a refusal says what it was. Most also fall in a refused
 * range (link-local, CGNAT, unique-local); 192.0.0.192 (Oracle) is in IANA's special-purpose block.
 */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  'fd00:ec2::254',
  '100.100.100.200',
  '192.0.0.192',
]);

/** ipaddr.js's named ranges → the refusal. Anything other than plain `unicast` (and loopback off production) is refused. */
const RANGE_REFUSALS: Readonly<Record<string, DestinationRefusal>> = {
  private: 'private-address',
  loopback: 'loopback-address',
  linkLocal: 'link-local-address',
  carrierGradeNat: 'shared-address',
  uniqueLocal: 'unique-local-address',
  ipv4Mapped: 'ipv4-mapped-address',
};

/** The refusal of one address, or undefined when a webhook may connect to it. */
export function addressRefusal(address: string, policy: DestinationPolicy): DestinationRefusal | undefined {
  if (!ipaddr.isValid(address)) return 'unresolvable';
  const parsed = ipaddr.parse(address);
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString()))
    return 'metadata-address';
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && !policy.production) return undefined;
  return RANGE_REFUSALS[range] ?? 'special-address';
}

const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || (ipaddr.isValid(host) && ipaddr.parse(host).range() === 'loopback');

/** A URL's host without IPv6 brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** The checks on the URL itself: the scheme the environment allows, no credentials in it. */
export function urlRefusal(raw: string, policy: DestinationPolicy): DestinationRefusal | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid-url';
  }
  if (url.username !== '' || url.password !== '') return 'credentials-in-url';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:' || policy.production) return 'https-required';
  return isLoopbackHost(hostOf(url)) ? undefined : 'http-loopback-only';
}

/** A destination that passed every check: the URL and the one address to connect to. */
export interface CheckedDestination {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Checks a webhook URL and resolves its host once; every address the name answers must pass (a name with one
 * public and one private answer is refused, since the connection could take either). Throws DestinationRefused.
 */
export class WebhookDestinations {
  constructor(
    private readonly policy: DestinationPolicy,
    private readonly resolve: HostResolver = systemResolver,
  ) {}

  async check(raw: string): Promise<CheckedDestination> {
    const refusal = urlRefusal(raw, this.policy);
    if (refusal !== undefined) throw new DestinationRefused(refusal);
    const url = new URL(raw);
    const host = hostOf(url);
    let addresses: readonly string[];
    try {
      addresses = isIP(host) === 0 ? await this.resolve(host) : [host];
    } catch {
      throw new DestinationRefused('unresolvable');
    }
    const [first] = addresses;
    if (first === undefined) throw new DestinationRefused('unresolvable');
    for (const address of addresses) {
      const refused = addressRefusal(address, this.policy);
      if (refused !== undefined) throw new DestinationRefused(refused);
    }
    return { url, address: first, family: isIP(first) === 6 ? 6 : 4 };
  }
}
