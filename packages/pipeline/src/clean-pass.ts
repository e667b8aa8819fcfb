import { Cleaner, loadBenchmarkIndex, loadFlaggedWords, readBenchmark, type CleanDrop } from '@tapir/clean';
import type { CleanConfig } from '@tapir/core';
import { sql } from 'drizzle-orm';
import { applyModelFilters, type BenchmarkQuestion, type CleanCandidate } from './clean-models';
import type { DueItem } from './item-batches';
import type { PipelineServices } from './services';

/** Items judged per transaction: a crash loses at most this much cleaning, and a batch is one round trip each way. */
const CLEAN_BATCH = 2000;
const REMEMBER_BATCH = 5000;

type PoolRow = {
  id: number;
  key: string;
  seq: number;
  instruction: string;
  input: string;
  expanded: boolean;
  answers: string[] | null;
};

/** Passes running in this process, by campaign: a chunk job's items all ask for the same pass. */
const running = new Map<string, Promise<DueItem[]>>();

/**
 * Cleans every item of the campaign that has no verdict yet, and returns those it kept.
 *
 * Deduplication needs the whole pool in one order, so cleaning is one pass per campaign at a time
 * (a PostgreSQL advisory lock across workers, a shared promise within one): it rebuilds the
 * indexes from the items kept before (read back in id order), then judges the uncleaned items
 * with an imported answer first and the rest after, each group in import (id) order, so the copy
 * of a duplicate that is kept is the one with an answer, then the first imported. Verdicts commit
 * a batch at a time; a pass cut short resumes where PostgreSQL says it stopped and decides
 * exactly as the whole pass would have. Items born later (expansions) are uncleaned items like
 * any other and meet the kept pool the same way. A dropped item stays, `failed` with no
 * fail_step, its reason and evidence stored.
 */
export function cleanPendingItems(s: PipelineServices, campaignId: string): Promise<DueItem[]> {
  const active = running.get(campaignId);
  if (active) return active;
  const pass = lockedPass(s, campaignId).finally(() => running.delete(campaignId));
  running.set(campaignId, pass);
  return pass;
}

async function lockedPass(s: PipelineServices, campaignId: string): Promise<DueItem[]> {
  const client = await s.db.$client.connect();
  let broken: Error | undefined;
  try {
    await client.query(`select pg_advisory_lock(hashtext('tapir-clean'), hashtext($1))`, [campaignId]);
    try {
      return await pass(s, campaignId);
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('tapir-clean'), hashtext($1))`, [campaignId]).catch((e: Error) => (broken = e));
    }
  } finally {
    client.release(broken);
  }
}

async function pass(s: PipelineServices, campaignId: string): Promise<DueItem[]> {
  const config = (await s.registry.get(campaignId)).config.clean;
  if (!config.enabled) {
    const kept = await s.db.execute<{ id: number; expanded: boolean }>(sql`
      update items set clean_verdict = 'kept'
       where campaign_id = ${campaignId} and clean_verdict is null and status <> 'failed'
       returning id, origin = 'expanded' as expanded`);
    return kept.rows.map((r) => ({ id: Number(r.id), expanded: r.expanded }));
  }
  const [benchmarks, flaggedWords] = await Promise.all([loadBenchmarkIndex(config), loadFlaggedWords(config)]);
  const cleaner = new Cleaner(config, { benchmarks, flaggedWords });

  const useModels = config.embeddings !== undefined || config.perplexity !== undefined || config.qualityRating !== undefined;
  // Items kept by an earlier pass take part in semantic dedup as the copies to keep (their
  // embeddings are stored, so they cost nothing again); their own verdicts stand.
  const priorKept: CleanCandidate[] = [];
  for (let after = 0; ; ) {
    const page = await s.db.execute<{ id: number; key: string; instruction: string; input: string }>(sql`
      select id, key, instruction, input from items
       where campaign_id = ${campaignId} and clean_verdict = 'kept' and id > ${after}
       order by id limit ${REMEMBER_BATCH}`);
    for (const r of page.rows) {
      cleaner.remember({ ref: Number(r.id), instruction: r.instruction, input: r.input, answers: [] });
      if (useModels) priorKept.push({ itemId: Number(r.id), key: r.key, instruction: r.instruction, input: r.input, hasAnswer: true, importOrder: -1 });
    }
    if (page.rows.length < REMEMBER_BATCH) break;
    after = Number(page.rows[page.rows.length - 1]!.id);
  }

  const kept: DueItem[] = [];
  // With model-based filters on, what the rules keep waits for them before its verdict is written.
  const ruleKept: (CleanCandidate & DueItem)[] = [];
  for (const answered of [true, false]) {
    const imported = sql`exists (select 1 from answers a where a.item_id = i.id and a.source = 'import')`;
    for (let after = 0; ; ) {
      const page = await s.db.execute<PoolRow>(sql`
        select i.id, i.key, i.seq, i.instruction, i.input, i.origin = 'expanded' as expanded,
               (select array_agg(a.text order by a.id) from answers a where a.item_id = i.id and a.source = 'import') as answers
          from items i
         where i.campaign_id = ${campaignId} and i.clean_verdict is null and i.status <> 'failed' and i.id > ${after}
           and ${answered ? imported : sql`not ${imported}`}
         order by i.id limit ${CLEAN_BATCH}`);
      if (page.rows.length === 0) break;
      const drops: { id: number; drop: CleanDrop }[] = [];
      const keptIds: number[] = [];
      for (const r of page.rows) {
        const id = Number(r.id);
        const drop = cleaner.judge({ ref: id, instruction: r.instruction, input: r.input, answers: r.answers ?? [] });
        if (drop) drops.push({ id, drop });
        else if (useModels) {
          ruleKept.push({ id, expanded: r.expanded, itemId: id, key: r.key, instruction: r.instruction, input: r.input, hasAnswer: answered, importOrder: Number(r.seq) });
        } else {
          keptIds.push(id);
          kept.push({ id, expanded: r.expanded });
        }
      }
      await writeVerdicts(s, keptIds, drops);
      after = Number(page.rows[page.rows.length - 1]!.id);
    }
  }
  if (useModels && ruleKept.length > 0) kept.push(...(await modelVerdicts(s, campaignId, config, ruleKept, priorKept)));
  return kept;
}

/**
 * The model-based filters over what the rules kept (docs/method.md, step 1b), with the items
 * kept before as the copies semantic dedup keeps. A crash before the verdicts commit costs
 * nothing: the embeddings are stored and every other call is in the ledger, so the resumed pass
 * buys nothing again and decides the same.
 */
async function modelVerdicts(
  s: PipelineServices,
  campaignId: string,
  config: CleanConfig,
  ruleKept: readonly (CleanCandidate & DueItem)[],
  priorKept: readonly CleanCandidate[],
): Promise<DueItem[]> {
  const benchmarks = config.embeddings ? await benchmarkQuestions(config) : [];
  const modelDrops = await applyModelFilters(s, campaignId, ruleKept, benchmarks, config, priorKept);
  const kept: DueItem[] = [];
  for (let i = 0; i < ruleKept.length; i += CLEAN_BATCH) {
    const page = ruleKept.slice(i, i + CLEAN_BATCH);
    const drops: { id: number; drop: CleanDrop }[] = [];
    const keptIds: number[] = [];
    for (const item of page) {
      const drop = modelDrops.get(item.id);
      if (drop) drops.push({ id: item.id, drop });
      else {
        keptIds.push(item.id);
        kept.push({ id: item.id, expanded: item.expanded });
      }
    }
    await writeVerdicts(s, keptIds, drops);
  }
  return kept;
}

/** The configured benchmarks' questions, for cosine decontamination by embeddings. */
async function benchmarkQuestions(config: CleanConfig): Promise<BenchmarkQuestion[]> {
  if (!config.decontaminate.enabled) return [];
  const questions: BenchmarkQuestion[] = [];
  for (const entry of config.decontaminate.benchmarks) {
    (await readBenchmark(entry)).forEach((q, index) => questions.push({ name: q.benchmark, index, text: q.text }));
  }
  return questions;
}

async function writeVerdicts(s: PipelineServices, keptIds: number[], drops: { id: number; drop: CleanDrop }[]): Promise<void> {
  await s.db.transaction(async (tx) => {
    if (keptIds.length > 0) {
      await tx.execute(sql`update items set clean_verdict = 'kept' where id = any(${`{${keptIds.join(',')}}`}::int[]) and clean_verdict is null`);
    }
    if (drops.length > 0) {
      const rows = JSON.stringify(drops.map((d) => ({ id: d.id, reason: d.drop.reason, evidence: d.drop.evidence })));
      await tx.execute(sql`
        update items i set clean_verdict = 'dropped', status = 'failed', clean_reason = v.reason, clean_evidence = v.evidence
          from jsonb_to_recordset(${rows}::jsonb) as v(id int, reason text, evidence jsonb)
         where i.id = v.id and i.clean_verdict is null`);
    }
  });
}
