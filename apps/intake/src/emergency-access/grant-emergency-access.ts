import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { CLIENT } from '../clients/clients.repository';
import { EmergencyAccessSettings } from './emergency-access-settings';
import { type EmergencyAccessView, type RequestEmergencyAccessDto } from './emergency-access.dto';

/**
 * Break-glass (42 CFR 2.51 medical emergency): a clinician gets read access to one client's record outside
 * their sites for a configured time. The grant and its audit entry commit with EmergencyAccessGranted, on
 * which the notifications service alerts the client's site's clinical supervisors and auditors.
 */
@Injectable()
export class GrantEmergencyAccess {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly settings: EmergencyAccessSettings,
  ) {}

  execute(actor: Actor, clientId: string, body: RequestEmergencyAccessDto): Promise<EmergencyAccessView> {
    return this.unitOfWork.run(async (tx) => {
      const grant = await this.records.grantEmergencyAccess(
        actor,
        CLIENT,
        { clientId, reasonCode: body.reasonCode, minutes: this.settings.minutes },
        tx.manager,
      );
      await tx.publish('EmergencyAccessGranted', {
        grantId: grant.id,
        clientId,
        siteId: grant.siteId,
        staffId: actor.principal.id,
        reasonCode: grant.reasonCode,
        grantedAt: grant.grantedAt.toISOString(),
        expiresAt: grant.expiresAt.toISOString(),
      });
      return {
        grantId: grant.id,
        clientId,
        reasonCode: grant.reasonCode,
        grantedAt: grant.grantedAt.toISOString(),
        expiresAt: grant.expiresAt.toISOString(),
      };
    });
  }
}
