import { type Transaction } from '@stepwise/messaging';
import { ProblemException } from '@stepwise/security';
import { type AppointmentsRepository, type SessionSlot } from './appointments.repository';

/** Refuses (409) a slot whose facilitator or room is already booked; the locks hold until commit. */
export async function assertSlotFree(
  repository: AppointmentsRepository,
  tx: Transaction,
  slot: SessionSlot,
): Promise<void> {
  const clash = await repository.lockAndFindClash(tx, slot);
  if (clash !== undefined) {
    throw new ProblemException('schedule-conflict', {
      detail: `The ${clash} is already booked at that time`,
    });
  }
}
