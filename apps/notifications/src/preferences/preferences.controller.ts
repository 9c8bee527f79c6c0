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
import { DataSource } from 'typeorm';
import { T } from '../delivery/notification-store';
import { PreferencesDto } from './preferences.dto';

interface PreferencesRow {
  recipient_id: string;
  recipient_kind: string;
  site_id: string;
  channels: string[];
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string | null;
  preferred_language: string | null;
  opted_out: boolean;
}

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

const COLUMNS = `recipient_id, recipient_kind, site_id, channels, to_char(quiet_start, 'HH24:MI') AS quiet_start,
  to_char(quiet_end, 'HH24:MI') AS quiet_end, time_zone, preferred_language, opted_out`;

/** Recipients' preferences: channels in order, quiet hours, time zone, language, opt-out. */
@ApiTags('preferences')
@Controller('recipients/:recipientId/preferences')
export class PreferencesController {
  constructor(
    private readonly dataSource: DataSource,
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
    return this.dataSource.transaction(async (manager) => {
      const [existing] = await manager.query<{ site_id: string }[]>(
        `SELECT site_id FROM ${T('recipient_preferences')} WHERE recipient_id = $1 FOR UPDATE`,
        [recipientId],
      );
      const attempt = {
        action: 'update',
        resourceType: 'preferences',
        resourceId: recipientId,
        clientId: recipientId,
      };
      if (existing !== undefined)
        await this.siteScope.assertRecord(actor, { siteId: existing.site_id, networkId: null }, attempt);
      const [row] = await manager.query<PreferencesRow[]>(
        `INSERT INTO ${T('recipient_preferences')} (recipient_id, recipient_kind, site_id, channels, quiet_start, quiet_end,
            time_zone, preferred_language, opted_out, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT (recipient_id) DO UPDATE SET recipient_kind = $2, site_id = $3, channels = $4, quiet_start = $5,
            quiet_end = $6, time_zone = $7, preferred_language = $8, opted_out = $9, updated_by = $10, updated_at = now()
         RETURNING ${COLUMNS}`,
        [
          recipientId,
          body.recipientKind,
          body.siteId,
          body.channels,
          body.quietHours?.start ?? null,
          body.quietHours?.end ?? null,
          body.timeZone ?? null,
          body.preferredLanguage ?? null,
          body.optedOut,
          actor.principal.id,
        ],
      );
      if (row === undefined) throw new Error('upsert returned nothing');
      await this.audit.record(actor, { ...attempt, siteId: body.siteId, outcome: 'allowed' }, manager);
      return view(row);
    });
  }

  @Get()
  @ApiOperation({ summary: "Reads a recipient's notification preferences" })
  @RequirePermission('notification-preferences:read')
  async get(
    @CurrentActor() actor: Actor,
    @Param('recipientId', ParseIdPipe) recipientId: string,
  ): Promise<Record<string, unknown>> {
    const [row] = await this.dataSource.query<PreferencesRow[]>(
      `SELECT ${COLUMNS} FROM ${T('recipient_preferences')} WHERE recipient_id = $1`,
      [recipientId],
    );
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
