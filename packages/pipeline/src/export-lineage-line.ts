import { lineageJudgeOrders, lineageRecord, type LineageAnswer, type LineageRecord } from '@tapir/formats';
import type { ExportPlanRow, ItemExpansion } from './export-plan-rows';

/** The lineage line of one plan row: the answers, calls and scores behind it. */
export function lineageLine(
  row: ExportPlanRow,
  at: {
    id: string;
    round: number;
    stage: number;
    trainingOutput: LineageRecord['trainingOutput'];
    /** The file of an item's source and shard (itemSourceFile). */
    fileOf: (source: string | null, shard: number | null) => string | null;
    expansion: ItemExpansion | null;
    /** The follow-up replies the row carries (none after a fallback to the teacher's first answer). */
    followUps: readonly { callId: number | null }[];
  },
): LineageRecord {
  const answer = (source: ExportPlanRow['teacher_source'], callId: number | null, promptVersion: string | null): LineageAnswer | null =>
    source === null ? null : { source, callId, promptVersion };
  const judged = row.judge_forward !== null && row.judge_swapped !== null;
  return lineageRecord({
    id: at.id,
    round: at.round,
    stage: at.stage,
    repeatIndex: row.repeat_index,
    itemId: row.item_id,
    itemKey: row.item_key,
    origin: row.origin,
    source: row.origin !== 'seed' ? null : { file: at.fileOf(row.source, row.source_shard), line: row.source_line },
    expansion:
      row.origin === 'expanded' && row.seed_item_id !== null
        ? { seedItemId: row.seed_item_id, expansionId: at.expansion?.expansionId ?? null, callId: at.expansion?.callId ?? null }
        : null,
    synthesis: row.origin === 'synthesized' ? row.synthesis : null,
    category: row.category,
    categorySource: row.category_source,
    answers: {
      teacher: answer(row.teacher_source, row.teacher_call_id, row.teacher_version),
      student: answer(row.student_source, row.student_call_id, row.student_version),
      refined: answer(row.refined_source, row.refined_call_id, row.refined_version),
    },
    trainingOutput: at.trainingOutput,
    followUpCallIds: at.followUps.map((f) => f.callId),
    judge: judged ? { ...lineageJudgeOrders(row.judge_forward!, row.judge_swapped!), promptVersion: row.judge_version ?? '' } : null,
    mfd: row.mfd,
    ifd: row.ifd,
  });
}
