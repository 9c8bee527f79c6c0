import { randomUUID } from 'node:crypto';
import { type Caller, HttpApi } from '../client/http-api';
import { type GroupSlot } from './cohort-plan';

/** The services' base URLs. */
export type ServiceUrls = Readonly<Record<'intake' | 'scheduling' | 'sessions' | 'notifications', string>>;

export interface Site {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly iopTrackId: string;
  readonly outpatientTrackId: string;
  readonly phpTrackId: string;
  readonly counselorIds: readonly string[];
  readonly supervisorId: string;
  /** Receives the site's authorization alerts and reads its billing export. */
  readonly billingId: string;
}

/** The network the demo runs: one provider organisation, three clinics in three time zones. */
export interface Network {
  readonly id: string;
  readonly sites: readonly Site[];
  readonly programId: string;
}

/** The network's clinics, in order (the cohort plans its clients by this index). */
export const SITE_PLANS = [
  { name: 'Harbor Clinic', timeZone: 'America/New_York' },
  { name: 'Lakeshore Clinic', timeZone: 'America/Chicago' },
  { name: 'Mesa Clinic', timeZone: 'America/Los_Angeles' },
] as const;

/**
 * The evening IOP track every client is admitted to: three evenings a week for three hours (9 h, the adult
 * level-2.1 minimum). The cohort plans its clients' sessions on these slots.
 */
export const IOP_SLOTS = [
  { weekday: 'monday', start: '18:00', minutes: 180, sessionType: 'process-group' },
  { weekday: 'tuesday', start: '18:00', minutes: 180, sessionType: 'relapse-prevention' },
  { weekday: 'thursday', start: '18:00', minutes: 180, sessionType: 'skills-development' },
] as const satisfies readonly (GroupSlot & { sessionType: string })[];

/**
 * A real identity provider's demo accounts (the Keycloak realm): fixed site and staff ids, and tokens for the
 * account that stands for a caller. Without one, the demo's callers get tokens from the local token server.
 */
export interface DemoIdentity {
  readonly networkId: string;
  /** The sites' ids, in the order of SITE_PLANS. */
  readonly siteIds: readonly string[];
  /** Each site's two counselors, its clinical supervisor and its biller, in the order of SITE_PLANS. */
  readonly staff: readonly {
    readonly counselorIds: readonly string[];
    readonly supervisorId: string;
    readonly billingId: string;
  }[];
  /** Issues the tokens of the account that acts as `caller` (throws when the realm has none). */
  tokens(caller: Caller): () => Promise<string>;
}

/** Callers of each kind, as an identity provider would issue them for this network. */
export class Callers {
  readonly networkId: string;

  constructor(
    private readonly urls: ServiceUrls,
    networkId: string,
    readonly identity?: DemoIdentity,
  ) {
    this.networkId = identity?.networkId ?? networkId;
  }

  /** A network administrator: reference data for every site of the network. */
  networkAdmin(service: keyof ServiceUrls): HttpApi {
    return this.as(service, ['network-admin'], []);
  }

  as(service: keyof ServiceUrls, roles: readonly string[], sites: readonly string[], sub?: string): HttpApi {
    const caller: Caller = {
      sub: sub ?? randomUUID(),
      roles,
      sites,
      network: this.networkId,
    };
    return new HttpApi(this.urls[service], caller, this.identity?.tokens(caller));
  }
}

const weeksAgoMonday = (weeks: number): string => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - weeks * 7);
  return d.toISOString().slice(0, 10);
};

/**
 * Sites, staff, program tracks and group series, through scheduling's API (the owner of reference data). The
 * IOP track meets three evenings a week for three hours (9 h: the adult level-2.1 minimum); the step-down
 * track is one weekly group, the step-up (PHP) track five mornings of four hours.
 */
export async function seedNetwork(callers: Callers, say: (line: string) => void): Promise<Network> {
  // A new site is created by someone whose token names it (a network administrator the identity provider
  // has given the new sites).
  const fixed = callers.identity;
  const siteIds = SITE_PLANS.map((_, index) => fixed?.siteIds[index] ?? randomUUID());
  const admin = callers.as('scheduling', ['network-admin'], siteIds);
  const seriesStart = weeksAgoMonday(14);
  const sites: Site[] = [];
  for (const [index, plan] of SITE_PLANS.entries()) {
    const siteId = siteIds[index] as string;
    await admin.put(`/sites/${siteId}`, {
      name: plan.name,
      timeZone: plan.timeZone,
      closures: [],
      active: true,
    });
    // With a real identity provider, its accounts' ids (the tokens' `sub`): the records are theirs.
    const fixedStaff = fixed?.staff[index];
    const staff = async (roles: string[], displayName: string, n: number): Promise<string> => {
      const body = {
        siteIds: [siteId],
        roles,
        displayName,
        email: `staff${index}${n}@clinic.example`,
        phone: `+1555010${index}${n}0`.slice(0, 12),
        timeZone: plan.timeZone,
        preferredLanguage: 'en',
        active: true,
      };
      const id =
        n === 4
          ? fixedStaff?.billingId
          : n === 3
            ? fixedStaff?.supervisorId
            : fixedStaff?.counselorIds[n - 1];
      if (id !== undefined) return (await admin.put<{ id: string }>(`/staff/${id}`, body)).id;
      return (await admin.post<{ id: string }>('/staff', body)).id;
    };
    const counselorIds = [
      await staff(['counselor'], `Counselor ${index + 1}A`, 1),
      await staff(['counselor'], `Counselor ${index + 1}B`, 2),
    ];
    const supervisorId = await staff(['clinical-supervisor', 'counselor'], `Supervisor ${index + 1}`, 3);
    const billingId = await staff(['billing'], `Billing ${index + 1}`, 4);

    const track = async (
      name: string,
      levelOfCare: string,
      slots: readonly { weekday: string; start: string; minutes: number; sessionType: string }[],
    ): Promise<string> =>
      (
        await admin.post<{ id: string }>(`/sites/${siteId}/tracks`, {
          name,
          levelOfCare,
          population: 'adult',
          modality: 'in-person',
          weeklyPattern: slots,
          active: true,
        })
      ).id;
    const iopSlots = IOP_SLOTS;
    const outpatientSlots = [
      { weekday: 'wednesday', start: '17:30', minutes: 90, sessionType: 'process-group' },
    ];
    const phpSlots = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((weekday) => ({
      weekday,
      start: '09:00',
      minutes: 240,
      sessionType: 'skills-development',
    }));
    const iopTrackId = await track('Adult SUD evening IOP', '2.1', iopSlots);
    const outpatientTrackId = await track('Adult continuing care', '1', outpatientSlots);
    const phpTrackId = await track('Adult day program (PHP)', '2.5', phpSlots);
    for (const [trackId, slots] of [
      [iopTrackId, iopSlots],
      [outpatientTrackId, outpatientSlots],
      [phpTrackId, phpSlots],
    ] as const) {
      for (const [n, slot] of slots.entries()) {
        await admin.post(`/sites/${siteId}/group-series`, {
          programTrackId: trackId,
          sessionType: slot.sessionType,
          weekday: slot.weekday,
          start: slot.start,
          minutes: slot.minutes,
          facilitatorId: counselorIds[n % counselorIds.length],
          room: `Room ${n + 1}`,
          capacity: 20,
          startsOn: seriesStart,
        });
      }
    }
    sites.push({
      id: siteId,
      name: plan.name,
      timeZone: plan.timeZone,
      iopTrackId,
      outpatientTrackId,
      phpTrackId,
      counselorIds,
      supervisorId,
      billingId,
    });
    say(`    ${plan.name} (${plan.timeZone}): 3 tracks, 9 group series, 4 staff`);
  }
  return { id: callers.networkId, sites, programId: randomUUID() };
}
