import { Injectable } from '@nestjs/common';
import { type LevelOfCare } from '@stepwise/contracts';
import { type Page, type PageQuery, type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { readPage } from '../shared/pages';
import { type AsamRule, type OverrideReason } from './asam-rules';
import { type CreateRuleSetDto } from './assessment.dto';

export interface AssessmentRow {
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

export interface RuleSetRow {
  code: string;
  version: number;
  label: string;
  illustrative: boolean;
  rules: AsamRule[];
  fallback_level: LevelOfCare;
  is_default: boolean;
}

/** An assessment as recorded: the ratings, the level the rule set computed and the one recommended. */
export interface NewAssessment {
  readonly id: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly networkId: string | null;
  readonly episodeId: string | null;
  readonly ratings: number[];
  readonly ruleSetVersion: string;
  readonly computedLevel: LevelOfCare;
  readonly overrideLevel: LevelOfCare | null;
  readonly overrideReason: OverrideReason | null;
  readonly recommendedLevel: LevelOfCare;
  readonly assessedBy: string;
  readonly assessedAt: Date;
}

const COLUMNS = `id, client_id, site_id, network_id, episode_id, kind, ratings, rule_set_version, computed_level,
  override_level, override_reason, recommended_level, assessed_by, assessed_at`;

const RULE_SET_COLUMNS = 'code, version, label, illustrative, rules, fallback_level, is_default';

export const ASSESSMENT: RecordKind<AssessmentRow> = {
  table: 'intake.assessments',
  columns: COLUMNS,
  resourceType: 'assessment',
  clientIdOf: (row) => row.client_id,
};

/** All SQL of ASAM assessments and their rule sets. */
@Injectable()
export class AssessmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored rule set `code@version`, or the default one when none is asked for. */
  async ruleSet(manager: EntityManager, requested: string | undefined): Promise<RuleSetRow | undefined> {
    const [code, version] = requested?.split('@') ?? [];
    const [row] = await manager.query<RuleSetRow[]>(
      requested === undefined
        ? `SELECT ${RULE_SET_COLUMNS} FROM intake.asam_rule_sets WHERE is_default`
        : `SELECT ${RULE_SET_COLUMNS} FROM intake.asam_rule_sets WHERE code = $1 AND version = $2`,
      requested === undefined ? [] : [code, Number(version)],
    );
    return row;
  }

  /** Records the assessment: the client's first is `initial`, one during an episode a `reassessment`. */
  async insert(manager: EntityManager, assessment: NewAssessment): Promise<AssessmentRow> {
    const [row] = await manager.query<AssessmentRow[]>(
      `INSERT INTO intake.assessments (id, client_id, site_id, network_id, episode_id, kind, ratings, rule_set_version,
         computed_level, override_level, override_reason, recommended_level, assessed_by, assessed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${COLUMNS}`,
      [
        assessment.id,
        assessment.clientId,
        assessment.siteId,
        assessment.networkId,
        assessment.episodeId,
        assessment.episodeId === null ? 'initial' : 'reassessment',
        assessment.ratings,
        assessment.ruleSetVersion,
        assessment.computedLevel,
        assessment.overrideLevel,
        assessment.overrideReason,
        assessment.recommendedLevel,
        assessment.assessedBy,
        assessment.assessedAt,
      ],
    );
    if (row === undefined) throw new Error('insert returned nothing');
    return row;
  }

  /** One page of the client's assessments, oldest first. */
  page<T>(clientId: string, query: PageQuery, view: (row: AssessmentRow) => T): Promise<Page<T>> {
    return readPage(this.dataSource.manager, query, {
      table: ASSESSMENT.table,
      columns: COLUMNS,
      where: ['client_id = $1'],
      params: [clientId],
      view,
    });
  }

  ruleSets(): Promise<RuleSetRow[]> {
    return this.dataSource.query<RuleSetRow[]>(
      `SELECT ${RULE_SET_COLUMNS} FROM intake.asam_rule_sets ORDER BY code, version`,
    );
  }

  /** Stores a provider's rule set as the next version of its code; optionally makes it the default. */
  async addRuleSet(body: CreateRuleSetDto, createdBy: string): Promise<RuleSetRow> {
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
        [body.code, body.label, JSON.stringify(body.rules), body.fallbackLevel, body.makeDefault, createdBy],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      return row;
    });
  }
}
