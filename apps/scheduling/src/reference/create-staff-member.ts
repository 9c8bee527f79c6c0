import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor } from '@stepwise/security';
import { type StaffMemberDto } from './reference.dto';
import { ReferenceRepository } from './reference.repository';
import { type StaffMemberView } from './reference.views';
import { saveStaffMember } from './save-staff-member';
import { StaffAccess } from './staff-access';

/**
 * Creates a staff member at sites the caller may act at, in the caller's network (or the first site's). The id
 * is new unless given: `PUT /staff/{id}` of an unknown id creates the record under the identity provider's id
 * for the person (the tokens' `sub`), as the demo realm's accounts need.
 */
@Injectable()
export class CreateStaffMember {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly access: StaffAccess,
    private readonly repository: ReferenceRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, body: StaffMemberDto, id: string = randomUUID()): Promise<StaffMemberView> {
    await this.access.assertSites(actor, body.siteIds, 'create');
    // assertSites found every site, so the first one has a network.
    const networkId =
      actor.principal.network ?? (await this.repository.sites(body.siteIds.slice(0, 1)))[0]?.network_id;
    if (networkId === undefined) throw new Error('site vanished');
    const staff = { id, networkId, updatedAt: this.clock.now() };
    return this.unitOfWork.run((tx) => saveStaffMember(this.repository, tx, staff, body));
  }
}
