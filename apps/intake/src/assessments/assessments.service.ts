import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type LevelOfCare } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  type Page,
  ProblemException,
  type RecordKind,
  refOf,
  ScopedRecords,
} from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { ClientsService } from '../clients/clients.service';
import { EpisodesRepository } from '../episodes/episodes.repository';
import { staffIdOf } from '../shared/staff';
import {
  type AsamRule,
  type AsamRuleSet,
  type OverrideReason,
  recommendLevel,
  ruleSetVersionOf,
} from './asam-rules';
import {
  type AssessDto,
  type AssessmentListQuery,
  type AssessmentView,
  type CreateRuleSetDto,
  type RuleSetView,
} from './assessment.dto';

interface AssessmentRow {
  id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  episode_id: string | null;
  kind: 'initial' | 'reassessment';
  ratings: number[];
  rule_set_version: string;
  computed_level: LevelOfCare;
  override_level: LevelOfCare | null;
  override_reason: OverrideReason | null;
  recommended_level: LevelOfCare;
  assessed_by: string;
  assessed_at: Date;
}

interface RuleSetRow {
  code: string;
  version: number;
  label: string;
  illustrative: boolean;
  rules: AsamRule[];
  fallback_level: LevelOfCare;
  is_default: boolean;
}

const COLUMNS = `id, client_id, site_id, network_id, episode_id, kind, ratings, rule_set_version, computed_level,
  override_level, override_reason, recommended_level, assessed_by, assessed_at`;

const ASSESSMENT: RecordKind<AssessmentRow> = {
  table: 'intake.assessments',
  columns: COLUMNS,
  resourceType: 'assessment',
  clientIdOf: (row) => row.client_id,
};

const view = (row: AssessmentRow): AssessmentView => ({
  id: row.id,
  clientId: row.client_id,
  episodeId: row.episode_id,
  kind: row.kind,
  dimensionRatings: row.ratings,
  ruleSetVersion: row.rule_set_version,
  computedLevel: row.computed_level,
  overrideLevel: row.override_level,
  overrideReason: row.override_reason,
  recommendedLevel: row.recommended_level,
  assessedBy: row.assessed_by,
  assessedAt: row.assessed_at.toISOString(),
});

const ruleSetOf = (row: RuleSetRow): AsamRuleSet => ({
  code: row.code,
  version: row.version,
  label: row.label,
  illustrative: row.illustrative,
  rules: row.rules,
  fallbackLevel: row.fallback_level,
});

const ruleSetView = (row: RuleSetRow): RuleSetView => ({
  ...ruleSetOf(row),
  rules: row.rules.map((rule) => ({
    ...rule,
    any: rule.any?.map((c) => ({ ...c })),
    all: rule.all?.map((c) => ({ ...c })),
  })),
  ruleSetVersion: ruleSetVersionOf(row),
  isDefault: row.is_default,
});

const RULE_SET_COLUMNS = 'code, version, label, illustrative, rules, fallback_level, is_default';

/** ASAM assessments: six dimension ratings → a level from a versioned rule set, or a clinician's override. */
@Injectable()
export class AssessmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly clients: ClientsService,
    private readonly episodes: EpisodesRepository,
    private readonly clock: Clock,
  ) {}

  private async ruleSet(manager: EntityManager, requested: string | undefined): Promise<AsamRuleSet> {
    const [code, version] = requested?.split('@') ?? [];
    const [row] = await manager.query<RuleSetRow[]>(
      requested === undefined
        ? `SELECT ${RULE_SET_COLUMNS} FROM intake.asam_rule_sets WHERE is_default`
        : `SELECT ${RULE_SET_COLUMNS} FROM intake.asam_rule_sets WHERE code = $1 AND version = $2`,
      requested === undefined ? [] : [code, Number(version)],
    );
    if (row === undefined) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'ruleSet', problems: ['no stored rule set by that id'] }],
      });
    }
    return ruleSetOf(row);
  }

  async assess(actor: Actor, clientId: string, body: AssessDto): Promise<AssessmentView> {
    const assessedBy = staffIdOf(actor);
    if (body.overrideLevel !== undefined && body.overrideReason === undefined) {
      throw new ProblemException('override-reason-required', {
        errors: [
          { field: 'overrideReason', problems: ['an override of the recommended level needs a reason code'] },
        ],
      });
    }
    if (body.overrideReason !== undefined && body.overrideLevel === undefined) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'overrideLevel', problems: ['overrideReason is given without an overrideLevel'] }],
      });
    }
    const assessedAt = new Date(body.assessedAt);
    if (assessedAt > this.clock.now()) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'assessedAt', problems: ['assessedAt must not be in the future'] }],
      });
    }
    return this.unitOfWork.run(async (tx) => {
      const client = await this.clients.load(actor, clientId, 'assess', tx.manager);
      const set = await this.ruleSet(tx.manager, body.ruleSet);
      const computed = recommendLevel(set, body.dimensionRatings);
      const recommended = body.overrideLevel ?? computed;
      const episode = await this.episodes.active(tx.manager, clientId);
      const id = randomUUID();
      const [row] = await tx.manager.query<AssessmentRow[]>(
        `INSERT INTO intake.assessments (id, client_id, site_id, network_id, episode_id, kind, ratings, rule_set_version,
           computed_level, override_level, override_reason, recommended_level, assessed_by, assessed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${COLUMNS}`,
        [
          id,
          clientId,
          client.site_id,
          client.network_id,
          episode?.id ?? null,
          episode === undefined ? 'initial' : 'reassessment',
          body.dimensionRatings,
          ruleSetVersionOf(set),
          computed,
          body.overrideLevel ?? null,
          body.overrideReason ?? null,
          recommended,
          assessedBy,
          assessedAt,
        ],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      await tx.publish('AssessmentCompleted', {
        assessmentId: id,
        clientId,
        siteId: client.site_id,
        ...(episode === undefined ? {} : { episodeId: episode.id }),
        dimensionRatings: body.dimensionRatings,
        recommendedLevel: recommended,
        assessedBy,
        assessedAt: assessedAt.toISOString(),
      });
      await this.records.audited(actor, 'create', ASSESSMENT, refOf(ASSESSMENT, row), tx.manager);
      return view(row);
    });
  }

  async read(actor: Actor, id: string): Promise<AssessmentView> {
    return view(await this.records.read(actor, ASSESSMENT, id));
  }

  list(actor: Actor, clientId: string, query: AssessmentListQuery): Promise<Page<AssessmentView>> {
    return this.clients.page(actor, clientId, query, { ...ASSESSMENT, view });
  }

  async ruleSets(): Promise<RuleSetView[]> {
    const rows = await this.dataSource.query<RuleSetRow[]>(
      `SELECT ${RULE_SET_COLUMNS} FROM intake.asam_rule_sets ORDER BY code, version`,
    );
    return rows.map(ruleSetView);
  }

  /** Stores a provider's rule set as the next version of its code; optionally makes it the default. */
  async loadRuleSet(actor: Actor, body: CreateRuleSetDto): Promise<RuleSetView> {
    return this.dataSource.transaction(async (manager) => {
      // One writer per code at a time, so two loads cannot take the same version.
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `asam-rule-set:${body.code}`,
      ]);
      if (body.makeDefault)
        await manager.query(`UPDATE intake.asam_rule_sets SET is_default = false WHERE is_default`);
      const [row] = await manager.query<RuleSetRow[]>(
        `INSERT INTO intake.asam_rule_sets (code, version, label, illustrative, rules, fallback_level, is_default, created_by)
         SELECT $1, COALESCE(max(version), 0) + 1, $2, false, $3, $4, $5, $6 FROM intake.asam_rule_sets WHERE code = $1
         RETURNING ${RULE_SET_COLUMNS}`,
        [
          body.code,
          body.label,
          JSON.stringify(body.rules),
          body.fallbackLevel,
          body.makeDefault,
          actor.principal.id,
        ],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      return ruleSetView(row);
    });
  }
}
