import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { T } from '../delivery/notification-store';
import { type PreferencesDto } from './preferences.dto';

export interface PreferencesRow {
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

const COLUMNS = `recipient_id, recipient_kind, site_id, channels, to_char(quiet_start, 'HH24:MI') AS quiet_start,
  to_char(quiet_end, 'HH24:MI') AS quiet_end, time_zone, preferred_language, opted_out`;

/** Recipients' preferences as stored (`recipient_preferences`): all of the feature's SQL. */
@Injectable()
export class PreferencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The site a recipient's stored preferences belong to, locked until the transaction ends; none yet: undefined. */
  async lockSiteOf(manager: EntityManager, recipientId: string): Promise<string | undefined> {
    const [existing] = await manager.query<{ site_id: string }[]>(
      `SELECT site_id FROM ${T('recipient_preferences')} WHERE recipient_id = $1 FOR UPDATE`,
      [recipientId],
    );
    return existing?.site_id;
  }

  /** Creates or replaces a recipient's preferences, as set by `updatedBy`. */
  async upsert(
    manager: EntityManager,
    recipientId: string,
    preferences: PreferencesDto,
    updatedBy: string,
  ): Promise<PreferencesRow> {
    const [row] = await manager.query<PreferencesRow[]>(
      `INSERT INTO ${T('recipient_preferences')} (recipient_id, recipient_kind, site_id, channels, quiet_start, quiet_end,
          time_zone, preferred_language, opted_out, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
       ON CONFLICT (recipient_id) DO UPDATE SET recipient_kind = $2, site_id = $3, channels = $4, quiet_start = $5,
          quiet_end = $6, time_zone = $7, preferred_language = $8, opted_out = $9, updated_by = $10, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        recipientId,
        preferences.recipientKind,
        preferences.siteId,
        preferences.channels,
        preferences.quietHours?.start ?? null,
        preferences.quietHours?.end ?? null,
        preferences.timeZone ?? null,
        preferences.preferredLanguage ?? null,
        preferences.optedOut,
        updatedBy,
      ],
    );
    if (row === undefined) throw new Error('upsert returned nothing');
    return row;
  }

  async find(recipientId: string): Promise<PreferencesRow | undefined> {
    const [row] = await this.dataSource.query<PreferencesRow[]>(
      `SELECT ${COLUMNS} FROM ${T('recipient_preferences')} WHERE recipient_id = $1`,
      [recipientId],
    );
    return row;
  }
}
