import { Inject, Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, SiteScope } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { type PreferencesDto } from './preferences.dto';
import { PreferencesRepository, type PreferencesRow } from './preferences.repository';

/**
 * Sets a recipient's preferences. Preferences already stored at another site are out of the caller's scope
 * (404), checked under a lock so the site cannot change between the check and the write; the audit entry
 * commits with the change.
 */
@Injectable()
export class SetPreferences {
  constructor(
    // Only its transactions: a unit test runs the use case without a database.
    @Inject(DataSource) private readonly dataSource: Pick<DataSource, 'transaction'>,
    @Inject(PreferencesRepository)
    private readonly preferences: Pick<PreferencesRepository, 'lockSiteOf' | 'upsert'>,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
  ) {}

  set(actor: Actor, recipientId: string, preferences: PreferencesDto): Promise<PreferencesRow> {
    return this.dataSource.transaction(async (manager) => {
      const existingSite = await this.preferences.lockSiteOf(manager, recipientId);
      const attempt = {
        action: 'update',
        resourceType: 'preferences',
        resourceId: recipientId,
        clientId: recipientId,
      };
      if (existingSite !== undefined)
        await this.siteScope.assertRecord(actor, { siteId: existingSite, networkId: null }, attempt);
      const row = await this.preferences.upsert(manager, recipientId, preferences, actor.principal.id);
      await this.audit.record(actor, { ...attempt, siteId: preferences.siteId, outcome: 'allowed' }, manager);
      return row;
    });
  }
}
