import { CUT_OFF_FINISH_REASONS } from '@tapir/core';
import type { Db } from '@tapir/db';
import type { StoredJudgeOrder } from '@tapir/formats';
import { sql, type SQL } from 'drizzle-orm';

/** One plan row of a stage with everything its stage line and its lineage line need. */
export type ExportPlanRow = {
  position: number;
  item_id: number;
  repeat_index: number;
  category: string;
  mfd: number | null;
  ifd: number | null;
  difficulty: number;
  hard: boolean;
  item_key: string;
  origin: 'seed' | 'expanded' | 'synthesized';
  instruction: string;
  input: string;
  system: string | null;
  /** User turns after the first exchange that the item kept (import.turns: all). */
  follow_up_count: number;
  /** The teacher's replies to them, in turn order (only the turns it answered whole). */
  follow_ups: { user: string; assistant: string; callId: number | null }[] | null;
  /** The topic-seeded request that wrote a synthesized item. */
  synthesis: { synthesisId: number; topic: string; audience: string; form: string; callId: number | null } | null;
  source: string | null;
  source_shard: number | null;
  source_line: number | null;
  category_source: 'data' | 'classifier' | null;
  seed_item_id: number | null;
  refined: string | null;
  refined_version: string | null;
  refined_call_id: number | null;
  refined_source: 'import' | 'llm' | null;
  /** The refined answer came from a reply cut off at its token limit (see cutOff). */
  refined_cut: boolean;
  teacher: string | null;
  teacher_version: string | null;
  teacher_call_id: number | null;
  teacher_source: 'import' | 'llm' | null;
  teacher_cut: boolean;
  student_version: string | null;
  student_call_id: number | null;
  student_source: 'import' | 'llm' | null;
  /** The judgment's detail without the raw replies (a lineage line names the calls, `tapir show` prints the text). */
  judge_forward: StoredJudgeOrder | null;
  judge_swapped: StoredJudgeOrder | null;
  judge_version: string | null;
};

/** The expansion that wrote an expanded item: its id and the teacher's ledger call. */
export interface ItemExpansion {
  expansionId: number;
  callId: number | null;
}

/**
 * A page of one stage's plan rows in position order, after `afterPosition`. Teacher and refined
 * answers are round 0 (shared by every round); the student's answer and the judgment are the
 * round's own.
 */
export async function exportPlanPage(
  db: Db,
  at: { campaignId: string; round: number; stage: number },
  afterPosition: number,
  limit: number,
): Promise<ExportPlanRow[]> {
  const page = await db.execute<ExportPlanRow>(sql`
    select p.position, p.item_id, p.repeat_index, p.category, p.mfd, p.ifd, p.difficulty, p.hard,
           i.key as item_key, i.origin, i.instruction, i.input, i.source, i.source_shard, i.source_line, i.category_source, i.seed_item_id, i.system,
           coalesce(jsonb_array_length(i.follow_ups), 0) as follow_up_count,
           (select json_agg(json_build_object('user', i.follow_ups ->> (f.turn - 1), 'assistant', f.text, 'callId', f.llm_call_id) order by f.turn)
              from follow_up_answers f where f.item_id = p.item_id) as follow_ups,
           (select json_build_object('synthesisId', y.id, 'topic', y.topic, 'audience', y.audience, 'form', y.form, 'callId', y.llm_call_id)
              from syntheses y where y.item_id = p.item_id and y.status = 'accepted' limit 1) as synthesis,
           r.text as refined, r.prompt_version as refined_version, r.llm_call_id as refined_call_id, r.source as refined_source, ${cutOff('r')} as refined_cut,
           t.text as teacher, t.prompt_version as teacher_version, t.llm_call_id as teacher_call_id, t.source as teacher_source, ${cutOff('t')} as teacher_cut,
           s.prompt_version as student_version, s.llm_call_id as student_call_id, s.source as student_source,
           (j.detail -> 'forward') - 'replies' as judge_forward, (j.detail -> 'swapped') - 'replies' as judge_swapped,
           j.prompt_version as judge_version
      from plan_entries p
      join items i on i.id = p.item_id
      left join answers r on r.item_id = p.item_id and r.kind = 'refined' and r.round = 0
      left join answers t on t.item_id = p.item_id and t.kind = 'teacher' and t.round = 0
      left join answers s on s.item_id = p.item_id and s.kind = 'student' and s.round = p.round
      left join judgments j on j.item_id = p.item_id and j.round = p.round
     where p.campaign_id = ${at.campaignId} and p.round = ${at.round} and p.stage = ${at.stage} and p.position > ${afterPosition}
     order by p.position limit ${limit}`);
  return page.rows;
}

/**
 * Whether an answer (alias `a`) came from a reply cut off at its token limit, by the ledger's
 * finish reason; a `served` row has none of its own, the row that served it has. Imported
 * answers have no ledger row and count as whole.
 */
function cutOff(a: 'r' | 't'): SQL {
  const answer = sql.raw(a);
  return sql`coalesce((select coalesce(o.finish_reason, c.finish_reason) = any(${sql.param([...CUT_OFF_FINISH_REASONS])}::text[])
                          from llm_calls c left join llm_calls o on o.id = c.served_from_call_id
                         where c.id = ${answer}.llm_call_id), false)`;
}

/**
 * The campaign's accepted expansions by the item each wrote, read once per export: expansions
 * has no index on item_id, and a join per page could scan it once per row. They are few (at
 * most expansion.maxPerRound per round).
 */
export async function acceptedExpansions(db: Db, campaignId: string): Promise<Map<number, ItemExpansion>> {
  const rows = await db.execute<{ id: number; item_id: number; llm_call_id: number | null }>(sql`
    select id, item_id, llm_call_id from expansions where campaign_id = ${campaignId} and status = 'accepted' and item_id is not null`);
  return new Map(rows.rows.map((r) => [r.item_id, { expansionId: r.id, callId: r.llm_call_id }]));
}
