import { Injectable } from '@nestjs/common';

/**
 * Which network a site belongs to, for network-wide callers (network-admin, service) acting on a site not
 * listed in their token. Services that keep the reference-data projection (sites from scheduling) provide
 * their own implementation through `SecurityModule.forService({ siteDirectory })`.
 */
export abstract class SiteDirectory {
  abstract networkOf(siteId: string): Promise<string | undefined>;
}

/** The default: no site is known, so a network-wide caller is scoped by the records' own network only. */
@Injectable()
export class UnknownSiteDirectory extends SiteDirectory {
  networkOf(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}
