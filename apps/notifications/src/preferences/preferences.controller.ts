import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  AuditTrail,
  CurrentActor,
  ParseIdPipe,
  ProblemException,
  RequirePermission,
  SiteScope,
} from '@stepwise/security';
import { PreferencesDto } from './preferences.dto';
import { PreferencesRepository, type PreferencesRow } from './preferences.repository';
import { SetPreferences } from './set-preferences';

const view = (row: PreferencesRow): Record<string, unknown> => ({
  recipientId: row.recipient_id,
  recipientKind: row.recipient_kind,
  siteId: row.site_id,
  channels: row.channels,
  quietHours:
    row.quiet_start === null || row.quiet_end === null
      ? null
      : { start: row.quiet_start, end: row.quiet_end },
  timeZone: row.time_zone,
  preferredLanguage: row.preferred_language,
  optedOut: row.opted_out,
});

/** Recipients' preferences: channels in order, quiet hours, time zone, language, opt-out. */
@ApiTags('preferences')
@Controller('recipients/:recipientId/preferences')
export class PreferencesController {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly setPreferences: SetPreferences,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
  ) {}

  @Put()
  @ApiOperation({ summary: "Sets a recipient's notification preferences" })
  @RequirePermission('notification-preferences:write', { site: { body: 'siteId' } })
  async put(
    @CurrentActor() actor: Actor,
    @Param('recipientId', ParseIdPipe) recipientId: string,
    @Body() body: PreferencesDto,
  ): Promise<Record<string, unknown>> {
    return view(await this.setPreferences.set(actor, recipientId, body));
  }

  @Get()
  @ApiOperation({ summary: "Reads a recipient's notification preferences" })
  @RequirePermission('notification-preferences:read')
  async get(
    @CurrentActor() actor: Actor,
    @Param('recipientId', ParseIdPipe) recipientId: string,
  ): Promise<Record<string, unknown>> {
    const row = await this.preferences.find(recipientId);
    if (row === undefined)
      throw new ProblemException('not-found', { detail: 'No preferences for this recipient' });
    const attempt = {
      action: 'read',
      resourceType: 'preferences',
      resourceId: recipientId,
      clientId: recipientId,
    };
    await this.siteScope.assertRecord(actor, { siteId: row.site_id, networkId: null }, attempt);
    await this.audit.record(actor, { ...attempt, siteId: row.site_id, outcome: 'allowed' });
    return view(row);
  }
}
