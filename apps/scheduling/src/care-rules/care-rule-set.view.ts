import { type CareRuleSetLoadedV1Payload } from '@stepwise/contracts';
import { type CareRuleSetRow } from './care-rules.repository';

/** A loaded rule set as the API answers and the reference topic carries it. */
export type CareRuleSetView = CareRuleSetLoadedV1Payload;

export function careRuleSetView(row: CareRuleSetRow): CareRuleSetView {
  return {
    recordId: row.record_id,
    ruleSetId: row.rule_set_id,
    code: row.code,
    version: row.version,
    kind: row.kind,
    illustrative: row.illustrative,
    ...(row.content.programShape === undefined ? {} : { programShape: [...row.content.programShape] }),
    ...(row.content.progress === undefined ? {} : { progress: [...row.content.progress] }),
    ...(row.content.programPolicy === undefined ? {} : { programPolicy: row.content.programPolicy }),
    ...(row.content.billing === undefined ? {} : { billing: row.content.billing }),
    loadedAt: row.loaded_at.toISOString(),
  } as CareRuleSetView;
}
