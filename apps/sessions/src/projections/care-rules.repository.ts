import { Injectable } from '@nestjs/common';
import { type CareRuleSetKind, type CareRuleSetLoadedV1Payload } from '@stepwise/contracts';
import { type LoadedRuleSet, type RulesInForce, rulesInForce } from '@stepwise/care-rules';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

interface RuleSetRow {
  rule_set_id: string;
  kind: CareRuleSetKind;
  illustrative: boolean;
  content: Pick<LoadedRuleSet, 'programShape' | 'progress' | 'programPolicy' | 'billing'>;
}

/**
 * The care rule sets scheduling publishes, projected: sessions never defines a rule value of its own, it
 * applies the versions a network administrator loaded (or the illustrative defaults until one is).
 */
@Injectable()
export class CareRulesRepository {
  /** A rule set version never changes, so a redelivery is a no-op. */
  async project(m: EntityManager, set: CareRuleSetLoadedV1Payload): Promise<void> {
    await m.query(
      `INSERT INTO ${table('care_rule_sets')} (rule_set_id, version, kind, illustrative, content, loaded_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (rule_set_id) DO NOTHING`,
      [
        set.ruleSetId,
        set.version,
        set.kind,
        set.illustrative,
        JSON.stringify({
          programShape: set.programShape,
          progress: set.progress,
          programPolicy: set.programPolicy,
          billing: set.billing,
        }),
        set.loadedAt,
      ],
    );
  }

  /** Of each kind the rule set loaded last (scheduling's load order), else the illustrative defaults. */
  async inForce(m: EntityManager): Promise<RulesInForce> {
    const rows = await m.query<RuleSetRow[]>(
      `SELECT rule_set_id, kind, illustrative, content FROM ${table('care_rule_sets')}
        ORDER BY loaded_at, version`,
    );
    return rulesInForce(
      rows.map((row) => ({
        ruleSetId: row.rule_set_id,
        kind: row.kind,
        illustrative: row.illustrative,
        ...row.content,
      })),
    );
  }
}
