import type { Db } from '@tapir/db';
import { exportRowId, lineageJudgeOrders } from '@tapir/formats';
import { sql } from 'drizzle-orm';
import { itemSourceFile } from './source-report';

/** One answer of the item, with the ledger request that wrote it. */
export interface StoryAnswer {
  kind: 'teacher' | 'student' | 'refined';
  /** 0 for teacher and refined answers (every round shares them); the student's round otherwise. */
  round: number;
  source: 'import' | 'llm';
  model: string | null;
  promptVersion: string | null;
  callId: number | null;
  /** The ledger's finish reason (`length` means cut at max_tokens); null when imported. */
  finishReason: string | null;
  text: string;
}

export interface StoryJudgeReply {
  callId: number | null;
  text: string;
}

export interface StoryJudgeOrder {
  teacher: number;
  student: number;
  /** Every reply of this order, the unparseable ones first, the one that was scored last. */
  replies: StoryJudgeReply[];
}

export interface StoryJudgment {
  round: number;
  judgeModel: string;
  promptVersion: string;
  teacherScore: number;
  studentScore: number;
  mfd: number;
  forward: StoryJudgeOrder;
  swapped: StoryJudgeOrder;
}

export interface StoryIfd {
  round: number;
  ifd: number;
  conditionedNll: number;
  unconditionedNll: number;
  studentModel: string;
}

/** A row of a round's curriculum holding the item, and the stage's range to compare it with. */
export interface StoryPlanRow {
  rowId: string;
  round: number;
  stage: number;
  repeatIndex: number;
  position: number;
  category: string;
  mfd: number | null;
  ifd: number | null;
  /** The value stages are ordered by, and whether it counted as hard against the round's delta. */
  difficulty: number;
  hard: boolean;
  refineStatus: string;
  /** Difficulty range of the whole stage this round: why the row is in this stage and not another. */
  stageDifficulty: { min: number; max: number; rows: number };
}

export interface StoryCall {
  id: number;
  role: string;
  purpose: string;
  model: string;
  promptVersion: string;
  status: string;
  finishReason: string | null;
  servedFromCallId: number | null;
  error: string | null;
}

/** One item's whole story, for a user asking "why is this in stage 3?" (`tapir show`). */
export interface ItemStory {
  campaign: { id: string; name: string; currentRound: number };
  item: {
    id: number;
    key: string;
    origin: 'seed' | 'expanded' | 'synthesized';
    status: string;
    failStep: string | null;
    failReason: string | null;
    instruction: string;
    input: string;
    /** The pool file and line; null for an expanded item. */
    source: { file: string | null; line: number | null } | null;
    duplicatesInFile: number;
  };
  category: { label: string | null; source: 'data' | 'classifier' | null; classifyCallIds: number[] };
  /** For an expanded item: the hard seed it was written from. */
  expansion: { seedItemId: number; expansionId: number | null; round: number | null; callId: number | null } | null;
  /** For a synthesized item: the topic, audience and form the teacher wrote it from. */
  synthesis: { synthesisId: number; round: number; category: string; topic: string; audience: string; form: string; callId: number | null } | null;
  /** The conversation around the instruction: its system prompt and the follow-up turns with the teacher's replies. */
  conversation: { system: string | null; followUps: { user: string; assistant: string | null; callId: number | null }[] };
  answers: StoryAnswer[];
  judgments: StoryJudgment[];
  ifd: StoryIfd[];
  plan: StoryPlanRow[];
  /** Every ledger request made for this item (classify, answers, judge, refine, IFD, and expansions it seeded). */
  calls: StoryCall[];
}

/** The item does not exist in the campaign, or the campaign does not exist: the message names which. */
export class ItemNotFoundError extends Error {}

interface StoredOrder {
  scores: [number, number];
  replies?: string[];
  callIds?: number[];
}

/**
 * Reads one item's story from PostgreSQL: a handful of queries, each by the item's id. Ledger
 * rows are found by (campaign, item): llm_calls has no index on item_id (the send path writes
 * it on every request), so this scans the campaign's ledger rows once, fine for one item.
 */
export async function itemStory(db: Db, campaignId: string, itemId: number): Promise<ItemStory> {
  const campaign = (
    await db.execute<{ id: string; name: string; current_round: number; import_summary: unknown }>(sql`
      select id, name, current_round, import_summary from campaigns where id = ${campaignId}`)
  ).rows[0];
  if (!campaign) throw new ItemNotFoundError(`campaign ${campaignId} does not exist (see \`tapir list\`)`);
  const item = (
    await db.execute<{
      id: number; key: string; origin: 'seed' | 'expanded' | 'synthesized'; status: string; fail_step: string | null; fail_reason: string | null;
      instruction: string; input: string; source: string | null; source_shard: number | null; source_line: number | null; duplicate_count: number; category: string | null;
      category_source: 'data' | 'classifier' | null; seed_item_id: number | null; system: string | null; follow_ups: string[] | null;
    }>(sql`
      select id, key, origin, status, fail_step, fail_reason, instruction, input, source, source_shard, source_line, duplicate_count, category, category_source, seed_item_id,
             system, follow_ups
        from items where campaign_id = ${campaignId} and id = ${itemId}`)
  ).rows[0];
  if (!item) throw new ItemNotFoundError(`campaign ${campaignId} has no item ${itemId} (item ids are in lineage.jsonl and \`tapir status\`)`);

  const answers = await db.execute<{
    kind: StoryAnswer['kind']; round: number; source: StoryAnswer['source']; model: string | null; prompt_version: string | null;
    llm_call_id: number | null; finish_reason: string | null; text: string;
  }>(sql`
    select a.kind, a.round, a.source, a.model, a.prompt_version, a.llm_call_id, c.finish_reason, a.text
      from answers a left join llm_calls c on c.id = a.llm_call_id
     where a.item_id = ${itemId}
     order by case a.kind when 'teacher' then 0 when 'student' then 1 else 2 end, a.round`);
  const judgments = await db.execute<{
    round: number; judge_model: string; prompt_version: string; teacher_score: number; student_score: number; mfd: number;
    detail: { forward: StoredOrder; swapped: StoredOrder };
  }>(sql`
    select round, judge_model, prompt_version, teacher_score, student_score, mfd, detail
      from judgments where item_id = ${itemId} order by round`);
  const ifd = await db.execute<{ round: number; ifd: number; conditioned_nll: number; unconditioned_nll: number; student_model: string }>(sql`
    select round, ifd, conditioned_nll, unconditioned_nll, student_model from ifd_scores where item_id = ${itemId} order by round`);
  const plan = await db.execute<{
    round: number; stage: number; repeat_index: number; position: number; category: string; mfd: number | null; ifd: number | null;
    difficulty: number; hard: boolean; refine_status: string; stage_min: number; stage_max: number; stage_rows: number;
  }>(sql`
    select p.round, p.stage, p.repeat_index, p.position, p.category, p.mfd, p.ifd, p.difficulty, p.hard, p.refine_status,
           s.stage_min, s.stage_max, s.stage_rows
      from plan_entries p
      join lateral (
        select min(q.difficulty) as stage_min, max(q.difficulty) as stage_max, count(*)::int as stage_rows
          from plan_entries q where q.campaign_id = p.campaign_id and q.round = p.round and q.stage = p.stage
      ) s on true
     where p.campaign_id = ${campaignId} and p.item_id = ${itemId}
     order by p.round, p.repeat_index`);
  const expansion = (
    await db.execute<{ id: number; round: number; llm_call_id: number | null }>(sql`
      select id, round, llm_call_id from expansions where campaign_id = ${campaignId} and item_id = ${itemId} and status = 'accepted' limit 1`)
  ).rows[0];
  const synthesis = (
    await db.execute<{ id: number; round: number; category: string; topic: string; audience: string; form: string; llm_call_id: number | null }>(sql`
      select id, round, category, topic, audience, form, llm_call_id from syntheses where campaign_id = ${campaignId} and item_id = ${itemId} and status = 'accepted' limit 1`)
  ).rows[0];
  const followUpAnswers = new Map(
    (
      await db.execute<{ turn: number; text: string; llm_call_id: number | null }>(sql`
        select turn, text, llm_call_id from follow_up_answers where item_id = ${itemId} order by turn`)
    ).rows.map((r) => [r.turn, r]),
  );
  const calls = await db.execute<{
    id: number; role: string; purpose: string; model: string; prompt_version: string; status: string; finish_reason: string | null;
    served_from_call_id: number | null; error: string | null;
  }>(sql`
    select id, role, purpose, model, prompt_version, status, finish_reason, served_from_call_id, error
      from llm_calls where campaign_id = ${campaignId} and item_id = ${itemId} order by id`);

  const order = (stored: StoredOrder, scores: { teacher: number; student: number; callIds: number[] | null }): StoryJudgeOrder => ({
    teacher: scores.teacher,
    student: scores.student,
    replies: (stored.replies ?? []).map((text, i) => ({ callId: scores.callIds?.[i] ?? null, text })),
  });
  return {
    campaign: { id: campaign.id, name: campaign.name, currentRound: campaign.current_round },
    item: {
      id: item.id,
      key: item.key,
      origin: item.origin,
      status: item.status,
      failStep: item.fail_step,
      failReason: item.fail_reason,
      instruction: item.instruction,
      input: item.input,
      source: item.origin !== 'seed' ? null : { file: itemSourceFile(campaign.import_summary, item.source, item.source_shard), line: item.source_line },
      duplicatesInFile: item.duplicate_count,
    },
    category: {
      label: item.category,
      source: item.category_source,
      classifyCallIds: calls.rows.filter((c) => c.purpose === 'classify').map((c) => c.id),
    },
    expansion:
      item.origin === 'expanded' && item.seed_item_id !== null
        ? { seedItemId: item.seed_item_id, expansionId: expansion?.id ?? null, round: expansion?.round ?? null, callId: expansion?.llm_call_id ?? null }
        : null,
    synthesis: synthesis
      ? { synthesisId: synthesis.id, round: synthesis.round, category: synthesis.category, topic: synthesis.topic, audience: synthesis.audience, form: synthesis.form, callId: synthesis.llm_call_id }
      : null,
    conversation: {
      system: item.system,
      followUps: (item.follow_ups ?? []).map((user, i) => {
        const answer = followUpAnswers.get(i + 1);
        return { user, assistant: answer?.text ?? null, callId: answer?.llm_call_id ?? null };
      }),
    },
    answers: answers.rows.map((a) => ({
      kind: a.kind,
      round: a.round,
      source: a.source,
      model: a.model,
      promptVersion: a.prompt_version,
      callId: a.llm_call_id,
      finishReason: a.finish_reason,
      text: a.text,
    })),
    judgments: judgments.rows.map((j) => {
      const scores = lineageJudgeOrders(j.detail.forward, j.detail.swapped);
      return {
        round: j.round,
        judgeModel: j.judge_model,
        promptVersion: j.prompt_version,
        teacherScore: j.teacher_score,
        studentScore: j.student_score,
        mfd: j.mfd,
        forward: order(j.detail.forward, scores.forward),
        swapped: order(j.detail.swapped, scores.swapped),
      };
    }),
    ifd: ifd.rows.map((r) => ({ round: r.round, ifd: r.ifd, conditionedNll: r.conditioned_nll, unconditionedNll: r.unconditioned_nll, studentModel: r.student_model })),
    plan: plan.rows.map((p) => ({
      rowId: exportRowId({ campaignId, round: p.round, stage: p.stage, itemKey: item.key, repeatIndex: p.repeat_index }),
      round: p.round,
      stage: p.stage,
      repeatIndex: p.repeat_index,
      position: p.position,
      category: p.category,
      mfd: p.mfd,
      ifd: p.ifd,
      difficulty: p.difficulty,
      hard: p.hard,
      refineStatus: p.refine_status,
      stageDifficulty: { min: p.stage_min, max: p.stage_max, rows: p.stage_rows },
    })),
    calls: calls.rows.map((c) => ({
      id: c.id,
      role: c.role,
      purpose: c.purpose,
      model: c.model,
      promptVersion: c.prompt_version,
      status: c.status,
      finishReason: c.finish_reason,
      servedFromCallId: c.served_from_call_id,
      error: c.error,
    })),
  };
}
