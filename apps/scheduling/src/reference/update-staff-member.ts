import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor } from '@stepwise/security';
import { type StaffMemberDto } from './reference.dto';
import { CreateStaffMember } from './create-staff-member';
import { ReferenceRepository } from './reference.repository';
import { type StaffMemberView } from './reference.views';
import { saveStaffMember } from './save-staff-member';
import { StaffAccess } from './staff-access';

/**
 * Replaces a staff member the caller can reach, with sites the caller may act at (network unchanged); an id no
 * record has yet is created with that id (an upsert, as sites are).
 */
@Injectable()
export class UpdateStaffMember {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly access: StaffAccess,
    private readonly repository: ReferenceRepository,
    private readonly clock: Clock,
    private readonly creation: CreateStaffMember,
  ) {}

  async execute(actor: Actor, staffId: string, body: StaffMemberDto): Promise<StaffMemberView> {
    if ((await this.repository.staff(staffId)) === undefined) {
      return this.creation.execute(actor, body, staffId);
    }
    const current = await this.access.load(actor, staffId, 'update');
    await this.access.assertSites(actor, body.siteIds, 'update');
    const staff = { id: staffId, networkId: current.network_id, updatedAt: this.clock.now() };
    return this.unitOfWork.run((tx) => saveStaffMember(this.repository, tx, staff, body));
  }
}
