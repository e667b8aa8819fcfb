import type { Db } from '@tapir/db';
import { sql } from 'drizzle-orm';
import type { CategoryStageCount } from './category-stage-matrix';
import type { TimelineBucket } from './timeline-series';

/**
 * The dashboard's own reads, each a named statement over indexed columns. Everything that
 * `tapir status --json` already says comes from campaignStatus, not from here.
 */

export const TIMELINE_BUCKETS = 60;

export interface TimelineRows {
  startMs: number;
  endMs: number;
  buckets: TimelineBucket[];
}

/**
 * Settled LLM requests (answered or served from the ledger) per step over the campaign's life,
 * in TIMELINE_BUCKETS buckets from the campaign's creation to its last answer (or now, while it
 * runs). A request's purpose is its step (answer-teacher, judge, refine, ...).
 */
export async function progressTimeline(db: Db, campaignId: string, running: boolean): Promise<TimelineRows | undefined> {
  const span = (
    await db.execute<{ lo: Date | string | null; hi: Date | string | null }>(sql`
      select c.created_at as lo,
             case when ${running} then now() else greatest(c.created_at, (select max(coalesce(l.completed_at, l.created_at)) from llm_calls l where l.campaign_id = c.id)) end as hi
        from campaigns c where c.id = ${campaignId}`)
  ).rows[0];
  if (!span?.lo || !span.hi) return undefined;
  const startMs = new Date(span.lo).getTime();
  const endMs = Math.max(startMs + 1000, new Date(span.hi).getTime());
  const rows = (
    await db.execute<{ step: string; bucket: number; n: string }>(sql`
      select purpose as step,
             least(${TIMELINE_BUCKETS - 1}, greatest(0, floor((extract(epoch from coalesce(completed_at, created_at)) * 1000 - ${startMs}) / ${(endMs - startMs) / TIMELINE_BUCKETS})))::int as bucket,
             count(*) as n
        from llm_calls
       where campaign_id = ${campaignId} and status in ('completed', 'served')
       group by 1, 2`)
  ).rows;
  return { startMs, endMs, buckets: rows.map((r) => ({ step: r.step, bucket: Number(r.bucket), count: Number(r.n) })) };
}

/** The current round's plan rows per category and stage (the heat map). */
export async function planCategoryStageCounts(db: Db, campaignId: string, round: number): Promise<CategoryStageCount[]> {
  const rows = (
    await db.execute<{ category: string; stage: number; n: string }>(sql`
      select category, stage, count(*) as n from plan_entries
       where campaign_id = ${campaignId} and round = ${round} group by category, stage`)
  ).rows;
  return rows.map((r) => ({ category: r.category, stage: Number(r.stage), count: Number(r.n) }));
}

export interface LedgerMetricRow {
  role: string;
  model: string;
  status: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** The whole ledger per role, model and status: the counters of /metrics (every campaign, every process). */
export async function ledgerMetricRows(db: Db): Promise<LedgerMetricRow[]> {
  const rows = (
    await db.execute<{ role: string; model: string; status: string; n: string; input: string | null; output: string | null; cost: number | null }>(sql`
      select role, model, status, count(*) as n, sum(input_tokens) as input, sum(output_tokens) as output, sum(cost_usd) as cost
        from llm_calls group by role, model, status`)
  ).rows;
  return rows.map((r) => ({
    role: r.role,
    model: r.model,
    status: r.status,
    requests: Number(r.n),
    inputTokens: Number(r.input ?? 0),
    outputTokens: Number(r.output ?? 0),
    costUsd: Number(r.cost ?? 0),
  }));
}

/** Items per campaign and status (pending, judged, failed). */
export async function itemStatusCounts(db: Db): Promise<{ campaignId: string; status: string; count: number }[]> {
  const rows = (await db.execute<{ campaign_id: string; status: string; n: string }>(sql`select campaign_id, status, count(*) as n from items group by campaign_id, status`)).rows;
  return rows.map((r) => ({ campaignId: r.campaign_id, status: r.status, count: Number(r.n) }));
}

/** Every campaign's status and spend (one gauge each per campaign). */
export async function campaignGaugeRows(db: Db): Promise<{ campaignId: string; name: string; status: string; round: number; spentUsd: number }[]> {
  const rows = (await db.execute<{ id: string; name: string; status: string; round: number; spent: number | null }>(
    sql`select id, name, status, current_round as round, spent_usd as spent from campaigns`,
  )).rows;
  return rows.map((r) => ({ campaignId: r.id, name: r.name, status: r.status, round: Number(r.round), spentUsd: Number(r.spent ?? 0) }));
}

/** Each campaign's config and every student its rounds registered: where the model endpoints come from. */
export async function campaignEndpointSources(db: Db): Promise<{ config: unknown; students: { model: string; baseUrl: string | null }[] }[]> {
  const rows = (
    await db.execute<{ config: unknown; students: { model: string; baseUrl: string | null }[] | null }>(sql`
      select c.config,
             (select json_agg(json_build_object('model', r.student_model, 'baseUrl', r.student_base_url)) from rounds r where r.campaign_id = c.id) as students
        from campaigns c`)
  ).rows;
  return rows.map((r) => ({ config: r.config, students: r.students ?? [] }));
}

export const IFD_BIN_WIDTH = 0.1;
export const IFD_BINS = 20;

/** IFD scores per round in IFD_BINS bins of IFD_BIN_WIDTH from 0 (edge bins take what lies beyond). */
export async function ifdBinCounts(db: Db, campaignId: string): Promise<{ round: number; bin: number; count: number }[]> {
  const rows = (
    await db.execute<{ round: number; bin: number; n: string }>(sql`
      select round, least(${IFD_BINS - 1}, greatest(0, floor(ifd / ${IFD_BIN_WIDTH})))::int as bin, count(*) as n
        from ifd_scores where campaign_id = ${campaignId} group by 1, 2`)
  ).rows;
  return rows.map((r) => ({ round: Number(r.round), bin: Number(r.bin), count: Number(r.n) }));
}
