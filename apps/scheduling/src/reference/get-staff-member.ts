import { Injectable } from '@nestjs/common';
import { type Actor } from '@stepwise/security';
import { type StaffMemberView, staffView } from './reference.views';
import { StaffAccess } from './staff-access';

/** One staff member, for callers at any of their sites (reference data: reads are not audited). */
@Injectable()
export class GetStaffMember {
  constructor(private readonly access: StaffAccess) {}

  async execute(actor: Actor, staffId: string): Promise<StaffMemberView> {
    return staffView(await this.access.load(actor, staffId, 'read'));
  }
}
