import { type LocalKeycloak, realmStaff, type StaffAccount } from '@stepwise/infra';
import { type Caller } from '../client/http-api';
import { KeycloakLogin } from '../console/keycloak';
import { type DemoIdentity, SITE_PLANS } from './network';

/** The realm's group of each demo site, in the order of SITE_PLANS. */
const SITE_GROUPS = ['harbor', 'lakeshore', 'mesa'] as const;

/** Roles whose reference work the realm's network administrator does (it holds every site of the network). */
const ADMIN_ROLES = new Set(['network-admin', 'site-admin', 'program-director']);

/**
 * The demo driven with the Keycloak realm's own accounts (password grant of its test client): the sites and
 * staff records get the realm's fixed ids, so a demo counselor who signs in to the console sees their site's
 * groups, and every call of the demo carries a token the services verify against Keycloak's issuer alone.
 *
 * A caller is played by the account that fits it: administrative roles by `network.admin`; else the account
 * with the caller's `sub` when it works at the caller's sites; else the first account with the caller's first
 * role at all of its sites (a transfer between clinics by `network.supervisor`).
 */
export function keycloakIdentity(keycloak: LocalKeycloak): DemoIdentity {
  const realm = realmStaff();
  const account = (username: string): StaffAccount => {
    const found = realm.accounts.find((a) => a.username === username);
    if (found === undefined) throw new Error(`The realm has no account ${username}`);
    return found;
  };
  const logins = new Map<string, KeycloakLogin>();
  const login = (username: string): KeycloakLogin => {
    const known = logins.get(username) ?? new KeycloakLogin(keycloak, username);
    logins.set(username, known);
    return known;
  };
  const covers = (a: StaffAccount, sites: readonly string[]): boolean =>
    sites.every((site) => a.sites.includes(site));
  const actingAs = (caller: Caller): StaffAccount => {
    if (caller.roles.some((role) => ADMIN_ROLES.has(role))) return account('network.admin');
    const own = realm.accounts.find((a) => a.id === caller.sub && covers(a, caller.sites));
    if (own !== undefined) return own;
    const fitting = realm.accounts.find(
      (a) => a.roles.includes(caller.roles[0] ?? '') && covers(a, caller.sites),
    );
    if (fitting === undefined) {
      throw new Error(
        `No account of the realm acts as ${caller.roles.join('+')} at ${caller.sites.join(', ')}`,
      );
    }
    return fitting;
  };
  const siteIds = SITE_GROUPS.map((group) => account(`${group}.supervisor`).sites[0] ?? '');
  if (SITE_GROUPS.length !== SITE_PLANS.length) throw new Error('The realm names another number of sites');
  return {
    networkId: realm.network,
    siteIds,
    staff: SITE_GROUPS.map((group) => ({
      counselorIds: [account(`${group}.counselor1`).id, account(`${group}.counselor2`).id],
      supervisorId: account(`${group}.supervisor`).id,
      billingId: account(`${group}.billing`).id,
    })),
    tokens: (caller) => {
      const acting = login(actingAs(caller).username);
      return () => acting.accessToken();
    },
  };
}

/** The logins a person can try in the console, one line each (username, what they see). */
export function demoLogins(): string[] {
  return realmStaff().accounts.map((a) => `${a.username.padEnd(22)} ${a.roles.join(', ')}`);
}
