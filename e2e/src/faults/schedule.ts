import { SERVICES, type ServiceName } from '@stepwise/contracts';
import { type Random } from './random';

export type Fault =
  | { readonly kind: 'kill-replica'; readonly service: ServiceName; readonly replica: number }
  | { readonly kind: 'kill-broker' }
  | { readonly kind: 'pause-broker' }
  | { readonly kind: 'restart-postgres' }
  | { readonly kind: 'lose-redis' }
  | { readonly kind: 'poison' };

export interface Profile {
  readonly name: string;
  /** SIGKILLs of each service (alternating its replicas). */
  readonly killsPerService: number;
  readonly brokerKills: number;
  readonly brokerPauses: number;
  readonly postgresRestarts: number;
  readonly redisLosses: number;
  readonly poisonBatches: number;
  /** Seconds between the recovery of one fault and the next fault (drawn in this range). */
  readonly gapSeconds: readonly [number, number];
  /** Journeys run at once by the load generator. */
  readonly workers: number;
}

export const PROFILES: Readonly<Record<'short' | 'long', Profile>> = {
  short: {
    name: 'short',
    killsPerService: 3,
    brokerKills: 2,
    brokerPauses: 1,
    postgresRestarts: 1,
    redisLosses: 1,
    poisonBatches: 1,
    gapSeconds: [1, 3],
    workers: 3,
  },
  long: {
    name: 'long',
    killsPerService: 10,
    brokerKills: 6,
    brokerPauses: 4,
    postgresRestarts: 4,
    redisLosses: 3,
    poisonBatches: 3,
    gapSeconds: [4, 15],
    workers: 4,
  },
};

/** The faults of a profile in a seeded random order (the same seed, the same schedule). */
export function faultSchedule(profile: Profile, random: Random): Fault[] {
  const faults: Fault[] = [];
  for (const service of SERVICES) {
    for (let n = 0; n < profile.killsPerService; n += 1) {
      faults.push({ kind: 'kill-replica', service, replica: n % 2 });
    }
  }
  const add = (count: number, fault: Fault): void => {
    for (let n = 0; n < count; n += 1) faults.push(fault);
  };
  add(profile.brokerKills, { kind: 'kill-broker' });
  add(profile.brokerPauses, { kind: 'pause-broker' });
  add(profile.postgresRestarts, { kind: 'restart-postgres' });
  add(profile.redisLosses, { kind: 'lose-redis' });
  add(profile.poisonBatches, { kind: 'poison' });
  return random.shuffle(faults);
}

export const describeFault = (fault: Fault): string =>
  fault.kind === 'kill-replica' ? `kill ${fault.service}#${fault.replica}` : fault.kind;
