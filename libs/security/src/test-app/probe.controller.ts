import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Logger, Param, Patch, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { type Actor } from '../auth/principal';
import { CurrentActor } from '../auth/request-principal';
import { RequirePermission } from '../authorization/require-permission.decorator';
import { type RecordKind, ScopedRecords, refOf } from '../authorization/scoped-records';
import { ParseIdPipe } from '../http/validation';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { decodeCursor, timestampKey } from '../pagination/cursor';
import { type Page, pageLimit, toPage } from '../pagination/page';
import { CreateProbeDto, ProbeContactDto, ProbeListQuery, UpdateProbeDto } from './probe.dto';
import { PROBE_SCHEMA } from './probe-migration';

interface ProbeRow {
  id: string;
  site_id: string;
  network_id: string | null;
  client_id: string;
  label: string;
  kind: string;
  observed_on: string;
  status: string;
  created_by: string;
  created_at: Date;
  /** created_at with its microseconds, for the page cursor (a JS Date keeps milliseconds only). */
  created_key: string;
}

export interface ProbeView {
  id: string;
  siteId: string;
  networkId: string | null;
  clientId: string;
  label: string;
  kind: string;
  observedOn: string;
  status: string;
  createdBy: string;
  createdAt: string;
}

const view = (row: ProbeRow): ProbeView => ({
  id: row.id,
  siteId: row.site_id,
  networkId: row.network_id,
  clientId: row.client_id,
  label: row.label,
  kind: row.kind,
  observedOn: row.observed_on,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
});

const TABLE = `"${PROBE_SCHEMA}"."probe_records"`;
const COLUMNS = `id, site_id, network_id, client_id, label, kind, to_char(observed_on, 'YYYY-MM-DD') AS observed_on, status,
  created_by, created_at, ${timestampKey('created_at')} AS created_key`;

const PROBE: RecordKind<ProbeRow> = {
  table: TABLE,
  columns: COLUMNS,
  resourceType: 'probe',
  clientIdOf: (row) => row.client_id,
};

/**
 * Test-only resource used by the security integration tests: site-owned records read, changed and listed
 * the way service routes do it (declared permission, site scope, audit, idempotency, pagination).
 */
@Controller()
export class ProbeController {
  private readonly logger = new Logger('Probe');

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ScopedRecords,
    private readonly audit: AuditTrail,
  ) {}

  @Post('probes')
  @Idempotent()
  @RequirePermission('clients:write', { site: { body: 'siteId' } })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateProbeDto): Promise<ProbeView> {
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<ProbeRow[]>(
        `INSERT INTO ${TABLE} (id, site_id, network_id, client_id, label, kind, observed_on, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING ${COLUMNS}`,
        [
          id,
          body.siteId,
          actor.principal.network ?? null,
          body.clientId,
          body.label,
          body.kind,
          body.observedOn,
          actor.principal.id,
        ],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      await this.audit.record(
        actor,
        {
          action: 'create',
          resourceType: 'probe',
          resourceId: id,
          clientId: body.clientId,
          siteId: body.siteId,
          outcome: 'allowed',
        },
        manager,
      );
      return view(row);
    });
  }

  @Get('probes/:id')
  @RequirePermission('clients:read')
  async read(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<ProbeView> {
    return view(await this.records.read(actor, PROBE, id));
  }

  @Patch('probes/:id')
  @RequirePermission('clients:write')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateProbeDto,
  ): Promise<ProbeView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.records.load(actor, PROBE, id, 'update', manager);
      // UPDATE … RETURNING answers [rows, affected count] through TypeORM.
      const [[updated]] = await manager.query<[ProbeRow[], number]>(
        `UPDATE ${TABLE} SET label = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, body.label],
      );
      await this.records.audited(actor, 'update', PROBE, refOf(PROBE, row), manager);
      return view(updated ?? row);
    });
  }

  @Get('sites/:siteId/probes')
  @RequirePermission('clients:read', { site: { param: 'siteId' } })
  async list(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: ProbeListQuery,
  ): Promise<Page<ProbeView>> {
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    const rows = await this.dataSource.query<ProbeRow[]>(
      `SELECT ${COLUMNS} FROM ${TABLE}
        WHERE site_id = $1 ${after === undefined ? '' : 'AND (created_at, id) > ($3::timestamptz, $4::uuid)'}
        ORDER BY created_at, id LIMIT $2`,
      after === undefined ? [siteId, limit + 1] : [siteId, limit + 1, String(after[0]), String(after[1])],
    );
    await this.audit.record(actor, { action: 'list', resourceType: 'probe', siteId, outcome: 'allowed' });
    return toPage(rows, limit, (row) => [row.created_key, row.id], view);
  }

  /** Receives contact details (PHI) and logs the way careless code would; the logger must mask it all. */
  @Post('probe-contacts')
  @HttpCode(202)
  @RequirePermission('clients:write', { site: { body: 'siteId' } })
  async contact(@Body() body: ProbeContactDto): Promise<{ accepted: true }> {
    this.logger.log({ contact: body }, 'Contact details received');
    this.logger.warn(`Could not verify ${body.email} or ${body.phone} yet`);
    if (body.mode === 'throw') throw new Error(`Contact ${body.email} (${body.phone}) is a duplicate`);
    if (body.mode === 'database') {
      await this.dataSource.query(
        `INSERT INTO "${PROBE_SCHEMA}"."probe_contacts" (id, site_id, reference) VALUES ($1, $2, $3)`,
        [randomUUID(), body.siteId, body.firstName],
      );
    }
    return { accepted: true };
  }
}
