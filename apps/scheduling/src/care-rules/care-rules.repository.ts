import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CareRuleSetKind } from '@stepwise/contracts';
import { type LoadedRuleSet, type RulesInForce, rulesInForce } from '@stepwise/care-rules';
import { DataSource, type EntityManager } from 'typeorm';
import { table } from '../scheduling.schema';

export interface CareRuleSetRow {
  rule_set_id: string;
  record_id: string;
  code: string;
  version: number;
  kind: CareRuleSetKind;
  illustrative: boolean;
  content: Pick<LoadedRuleSet, 'programShape' | 'progress' | 'programPolicy' | 'billing'>;
  loaded_by: string;
  loaded_at: Date;
}

const COLUMNS = `rule_set_id, record_id, code, version, kind, illustrative, content, loaded_by, loaded_at`;

/** The loaded rule sets as the rules read them. */
export function loadedRuleSet(row: CareRuleSetRow): LoadedRuleSet {
  return { ruleSetId: row.rule_set_id, kind: row.kind, illustrative: row.illustrative, ...row.content };
}

/** All SQL of the care rule sets: inserted, never updated. `manager` is the transaction's, when there is one. */
@Injectable()
export class CareRulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the next version of the set's code (the caller holds the code's lock). */
  async add(
    manager: EntityManager,
    set: Omit<CareRuleSetRow, 'rule_set_id' | 'record_id' | 'version'>,
  ): Promise<CareRuleSetRow> {
    const [{ next } = { next: 1 }] = await manager.query<{ next: number }[]>(
      `SELECT COALESCE(max(version), 0) + 1 AS next FROM ${table('care_rule_sets')} WHERE code = $1`,
      [set.code],
    );
    const [row] = await manager.query<CareRuleSetRow[]>(
      `INSERT INTO ${table('care_rule_sets')} (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) RETURNING ${COLUMNS}`,
      [
        `${set.code}@${next}`,
        randomUUID(),
        set.code,
        next,
        set.kind,
        set.illustrative,
        JSON.stringify(set.content),
        set.loaded_by,
        set.loaded_at.toISOString(),
      ],
    );
    if (row === undefined) throw new Error('rule set insert returned nothing');
    return row;
  }

  /** Every loaded version, in load order. */
  all(manager: EntityManager = this.dataSource.manager): Promise<CareRuleSetRow[]> {
    return manager.query<CareRuleSetRow[]>(`SELECT ${COLUMNS} FROM ${table('care_rule_sets')} ORDER BY seq`);
  }

  /** The rule sets in force now: of each kind the latest loaded, else the illustrative defaults. */
  async inForce(manager: EntityManager = this.dataSource.manager): Promise<RulesInForce> {
    return rulesInForce((await this.all(manager)).map(loadedRuleSet));
  }
}
