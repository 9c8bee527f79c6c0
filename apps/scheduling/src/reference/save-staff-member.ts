import { type Transaction } from '@stepwise/messaging';
import { type StaffMemberDto } from './reference.dto';
import { type ReferenceRepository } from './reference.repository';
import { type StaffMemberView, staffView } from './reference.views';

/**
 * Stores a staff member and publishes StaffMemberUpserted: what creating and updating share. Contact
 * details stay in this service; the event never carries them.
 */
export async function saveStaffMember(
  repository: ReferenceRepository,
  tx: Transaction,
  staff: { readonly id: string; readonly networkId: string; readonly updatedAt: Date },
  body: StaffMemberDto,
): Promise<StaffMemberView> {
  const view = staffView(await repository.upsertStaff(tx.manager, staff, body));
  await tx.publish('StaffMemberUpserted', {
    staffId: view.id,
    networkId: view.networkId,
    siteIds: view.siteIds,
    roles: view.roles,
    active: view.active,
    updatedAt: view.updatedAt,
  });
  return view;
}
