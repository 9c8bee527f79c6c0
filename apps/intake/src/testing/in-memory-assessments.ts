import { type Page, type PageQuery } from '@stepwise/security';
import { type CreateRuleSetDto } from '../assessments/assessment.dto';
import {
  ASSESSMENT,
  type AssessmentRow,
  type AssessmentsRepository,
  type NewAssessment,
  type RuleSetRow,
} from '../assessments/assessments.repository';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Assessments and ASAM rule sets in memory. */
export class InMemoryAssessments
  extends InMemoryRows<AssessmentRow>
  implements PublicOf<AssessmentsRepository>
{
  private readonly sets: RuleSetRow[] = [];

  constructor(tables: InMemoryTables) {
    super(tables, ASSESSMENT);
  }

  seedRuleSet(row: RuleSetRow): RuleSetRow {
    this.sets.push(row);
    return row;
  }

  async ruleSet(_manager: unknown, requested: string | undefined): Promise<RuleSetRow | undefined> {
    return this.sets.find((set) =>
      requested === undefined ? set.is_default : `${set.code}@${set.version}` === requested,
    );
  }

  async insert(_manager: unknown, assessment: NewAssessment): Promise<AssessmentRow> {
    return this.seed({
      id: assessment.id,
      client_id: assessment.clientId,
      site_id: assessment.siteId,
      network_id: assessment.networkId,
      episode_id: assessment.episodeId,
      kind: assessment.episodeId === null ? 'initial' : 'reassessment',
      ratings: assessment.ratings,
      rule_set_version: assessment.ruleSetVersion,
      computed_level: assessment.computedLevel,
      override_level: assessment.overrideLevel,
      override_reason: assessment.overrideReason,
      recommended_level: assessment.recommendedLevel,
      assessed_by: assessment.assessedBy,
      assessed_at: assessment.assessedAt,
    });
  }

  async page<T>(clientId: string, _query: PageQuery, view: (row: AssessmentRow) => T): Promise<Page<T>> {
    return this.onePage((row) => row.client_id === clientId, view);
  }

  async ruleSets(): Promise<RuleSetRow[]> {
    return [...this.sets].sort((a, b) => a.code.localeCompare(b.code) || a.version - b.version);
  }

  async addRuleSet(body: CreateRuleSetDto, _createdBy: string): Promise<RuleSetRow> {
    if (body.makeDefault) this.sets.forEach((set, i) => (this.sets[i] = { ...set, is_default: false }));
    const version =
      Math.max(0, ...this.sets.filter((set) => set.code === body.code).map((set) => set.version)) + 1;
    return this.seedRuleSet({
      code: body.code,
      version,
      label: body.label,
      illustrative: false,
      rules: body.rules,
      fallback_level: body.fallbackLevel,
      is_default: body.makeDefault,
    });
  }
}
