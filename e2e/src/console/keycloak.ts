import { DEMO_PASSWORD, keycloakPasswordToken, type LocalKeycloak, workspaceRoot } from '@stepwise/infra';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Caller, HttpApi } from '../client/http-api';

export { DEMO_PASSWORD };

interface RealmFile {
  groups: { name: string; subGroups: { name: string; attributes: { sites: string[] } }[] }[];
}

/** The demo realm's site ids by group name (harbor, lakeshore, mesa): the sites its logins' tokens name. */
export function realmSites(): Record<string, string> {
  const realm = JSON.parse(
    readFileSync(join(workspaceRoot(), 'tools', 'infra', 'keycloak', 'stepwise-realm.json'), 'utf8'),
  ) as RealmFile;
  const sites = realm.groups.find((g) => g.name === 'sites')?.subGroups ?? [];
  return Object.fromEntries(sites.map((g) => [g.name, g.attributes.sites[0] ?? '']));
}

/**
 * A demo login's tokens from the realm's test client (password grant, test-only), renewed a minute before
 * they expire: the services see exactly what a person signed in to the console sends.
 */
export class KeycloakLogin {
  private token: { value: string; expires: number } | undefined;

  constructor(
    readonly keycloak: LocalKeycloak,
    readonly username: string,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token === undefined || this.token.expires < Date.now() + 60_000) {
      const value = await keycloakPasswordToken(this.keycloak, this.username);
      const { exp } = JSON.parse(Buffer.from(value.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        exp: number;
      };
      this.token = { value, expires: exp * 1000 };
    }
    return this.token.value;
  }

  /** The claims the services read (sub, roles, sites, network). */
  async caller(): Promise<Caller> {
    const payload = JSON.parse(
      Buffer.from((await this.accessToken()).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { sub: string; roles?: string[]; sites?: string[]; network?: string };
    return {
      sub: payload.sub,
      roles: payload.roles ?? [],
      sites: payload.sites ?? [],
      network: payload.network ?? '',
    };
  }

  async api(baseUrl: string): Promise<HttpApi> {
    return new HttpApi(baseUrl, await this.caller(), () => this.accessToken());
  }
}
