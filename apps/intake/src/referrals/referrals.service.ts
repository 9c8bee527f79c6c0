import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  AuditTrail,
  type Page,
  ProblemException,
  refOf,
  ScopedRecords,
} from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { sitePage } from '../shared/pages';
import {
  type CreateReferralDto,
  type ReferralListQuery,
  type ReferralTransitionDto,
  type ReferralView,
} from './referral.dto';
import { type ReferralStatus, canTransition } from './referral.rules';
import { REFERRAL, REFERRAL_COLUMNS, type ReferralRow, ReferralsRepository } from './referrals.repository';

const view = (row: ReferralRow): ReferralView => ({
  id: row.id,
  siteId: row.site_id,
  source: row.source,
  reasonCode: row.reason_code,
  referrer: row.referrer,
  status: row.status,
  clientId: row.client_id,
  receivedAt: row.received_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Referrals: received at a site, moved through screening and assessment, closed by admission or decision. */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly repository: ReferralsRepository,
  ) {}

  /** Loads a referral the caller may act on (404 otherwise, audited), locked when `manager` is a transaction. */
  load(actor: Actor, id: string, action: string, manager?: EntityManager): Promise<ReferralRow> {
    return this.records.load(actor, REFERRAL, id, action, manager);
  }

  async create(actor: Actor, body: CreateReferralDto): Promise<ReferralView> {
    const id = randomUUID();
    const receivedAt = this.clock.now();
    return this.unitOfWork.run(async (tx) => {
      const [row] = await tx.manager.query<ReferralRow[]>(
        `INSERT INTO intake.referrals (id, site_id, network_id, source, reason_code, referrer, status, received_at, created_by)
         VALUES ($1, $2, (SELECT network_id FROM intake.sites WHERE id = $2), $3, $4, $5, 'received', $6, $7)
         RETURNING ${REFERRAL_COLUMNS}`,
        [id, body.siteId, body.source, body.reasonCode, body.referrer, receivedAt, actor.principal.id],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      await tx.publish('ReferralReceived', {
        referralId: id,
        siteId: body.siteId,
        source: body.source,
        receivedAt: receivedAt.toISOString(),
      });
      await this.records.audited(actor, 'create', REFERRAL, refOf(REFERRAL, row), tx.manager);
      return view(row);
    });
  }

  async read(actor: Actor, id: string): Promise<ReferralView> {
    return view(await this.records.read(actor, REFERRAL, id));
  }

  async list(actor: Actor, siteId: string, query: ReferralListQuery): Promise<Page<ReferralView>> {
    const page = await sitePage(this.dataSource.manager, siteId, query, {
      table: 'intake.referrals',
      columns: REFERRAL_COLUMNS,
      view,
    });
    await this.audit.record(actor, { action: 'list', resourceType: 'referral', siteId, outcome: 'allowed' });
    return page;
  }

  async transition(actor: Actor, id: string, body: ReferralTransitionDto): Promise<ReferralView> {
    return this.unitOfWork.run(async (tx) => {
      const row = await this.load(actor, id, 'update', tx.manager);
      if (!canTransition(row.status, body.to)) {
        throw new ProblemException('invalid-transition', {
          detail: `A ${row.status} referral cannot become ${body.to}`,
        });
      }
      const updated = await this.setStatus(tx.manager, id, body.to);
      await this.records.audited(actor, 'update', REFERRAL, refOf(REFERRAL, updated), tx.manager);
      return view(updated);
    });
  }

  async setStatus(
    manager: EntityManager,
    id: string,
    status: ReferralStatus,
    clientId?: string,
  ): Promise<ReferralRow> {
    return this.repository.setStatus(manager, id, status, this.clock.now(), clientId);
  }
}
