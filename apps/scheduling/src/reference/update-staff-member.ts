import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor } from '@stepwise/security';
import { type StaffMemberDto } from './reference.dto';
import { ReferenceRepository } from './reference.repository';
import { type StaffMemberView } from './reference.views';
import { saveStaffMember } from './save-staff-member';
import { StaffAccess } from './staff-access';

/** Replaces a staff member the caller can reach, with sites the caller may act at (network unchanged). */
@Injectable()
export class UpdateStaffMember {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly access: StaffAccess,
    private readonly repository: ReferenceRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, staffId: string, body: StaffMemberDto): Promise<StaffMemberView> {
    const current = await this.access.load(actor, staffId, 'update');
    await this.access.assertSites(actor, body.siteIds, 'update');
    const staff = { id: staffId, networkId: current.network_id, updatedAt: this.clock.now() };
    return this.unitOfWork.run((tx) => saveStaffMember(this.repository, tx, staff, body));
  }
}
