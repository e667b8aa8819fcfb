import { Cleaner, loadBenchmarkIndex, loadFlaggedWords, type CleanDrop } from '@tapir/clean';
import { sql } from 'drizzle-orm';
import type { DueItem } from './item-batches';
import type { PipelineServices } from './services';

/** Items judged per transaction: a crash loses at most this much cleaning, and a batch is one round trip each way. */
const CLEAN_BATCH = 2000;
const REMEMBER_BATCH = 5000;

type PoolRow = {
  id: number;
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

  for (let after = 0; ; ) {
    const page = await s.db.execute<{ id: number; instruction: string; input: string }>(sql`
      select id, instruction, input from items
       where campaign_id = ${campaignId} and clean_verdict = 'kept' and id > ${after}
       order by id limit ${REMEMBER_BATCH}`);
    for (const r of page.rows) cleaner.remember({ ref: Number(r.id), instruction: r.instruction, input: r.input, answers: [] });
    if (page.rows.length < REMEMBER_BATCH) break;
    after = Number(page.rows[page.rows.length - 1]!.id);
  }

  const kept: DueItem[] = [];
  for (const answered of [true, false]) {
    const imported = sql`exists (select 1 from answers a where a.item_id = i.id and a.source = 'import')`;
    for (let after = 0; ; ) {
      const page = await s.db.execute<PoolRow>(sql`
        select i.id, i.instruction, i.input, i.origin = 'expanded' as expanded,
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
        else {
          keptIds.push(id);
          kept.push({ id, expanded: r.expanded });
        }
      }
      await writeVerdicts(s, keptIds, drops);
      after = Number(page.rows[page.rows.length - 1]!.id);
    }
  }
  return kept;
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
