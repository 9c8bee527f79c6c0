import { type Transaction } from '@stepwise/messaging';

/**
 * Serialises bookings of one facilitator and of one room at a site, whether a single session or a weekly
 * series: two requests for the same person or room cannot both see them free. `room` null is telehealth.
 */
export async function lockFacilitatorAndRoom(
  tx: Transaction,
  slot: { readonly facilitatorId: string; readonly siteId: string; readonly room?: string | null },
): Promise<void> {
  await tx.lockKey(`scheduling:staff:${slot.facilitatorId}`);
  if (slot.room !== null && slot.room !== undefined)
    await tx.lockKey(`scheduling:room:${slot.siteId}:${slot.room}`);
}
