import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { REFERRAL, ReferralsRepository } from '../referrals/referrals.repository';
import { assertBornBy } from './birth-date';
import { type ClientView, type CreateClientDto } from './client.dto';
import { clientView } from './client-view';
import { CLIENT, ClientsRepository } from './clients.repository';

/**
 * Registers a client at a site with their demographics and contacts, linked to the referral they came from
 * (one client per referral, at the referral's site). Audited, never published: no event carries who a client is.
 */
@Injectable()
export class RegisterClient {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly clients: ClientsRepository,
    private readonly referrals: ReferralsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, body: CreateClientDto): Promise<ClientView> {
    await this.records.assertSite(
      actor,
      { siteId: body.siteId },
      { action: 'create', resourceType: 'client' },
    );
    assertBornBy(body.dateOfBirth, this.clock.now());
    const id = randomUUID();
    return this.unitOfWork.run(async (tx) => {
      if (body.referralId !== undefined) {
        const referral = await this.records.load(actor, REFERRAL, body.referralId, 'update', tx.manager);
        if (referral.site_id !== body.siteId) {
          throw new ProblemException('unprocessable', {
            errors: [{ field: 'referralId', problems: ['the referral was made to another site'] }],
          });
        }
        if (referral.client_id !== null) {
          throw new ProblemException('conflict', { detail: 'The referral already has a client' });
        }
      }
      const row = await this.clients.insert(tx.manager, {
        id,
        siteId: body.siteId,
        referralId: body.referralId ?? null,
        givenName: body.givenName,
        familyName: body.familyName,
        dateOfBirth: body.dateOfBirth,
        pronouns: body.pronouns ?? null,
        preferredLanguage: body.preferredLanguage,
        timeZone: body.timeZone,
        phone: body.phone ?? null,
        email: body.email ?? null,
        address: body.address ?? null,
        createdBy: actor.principal.id,
      });
      if (body.referralId !== undefined) await this.referrals.linkClient(tx.manager, body.referralId, id);
      await this.records.audited(actor, 'create', CLIENT, refOf(CLIENT, row), tx.manager);
      return clientView(row);
    });
  }
}
