import { classifyDifficulty, type CampaignConfig, type DifficultyOptions } from '@tapir/core';
import type { DbTransaction } from '@tapir/db';
import { sql } from 'drizzle-orm';

/** A measured item with its verdict under the configured difficulty signal. */
export interface RatedItem {
  itemId: number;
  category: string;
  /** The source it was imported from (an expanded item: its seed's); null for items older than sources. */
  source?: string | null;
  expanded: boolean;
  synthesized: boolean;
  mfd: number | null;
  ifd: number | null;
  hard: boolean;
  difficulty: number;
}

export interface RatedPool {
  rated: RatedItem[];
  /** Items measured but not usable, by reason (no MFD, IFD above the cap, ...). */
  unusable: Record<string, number>;
  measured: number;
}

const PAGE_ROWS = 10_000;

/**
 * Loads a round's measured items and rates each by the configured signal, a page of rows at a
 * time through a cursor of the planner's transaction. Two shapes of this load were the planner's
 * memory peak at 100,000 items: a row object per item for the whole round at once, and then
 * `array_agg` columns, whose text arrays pg's parser builds one character at a time (about 130 MB
 * of garbage at 100,000 items). Paged, what is transient is one page; what stays is one object
 * literal per item with its final shape (a spread copy with two added properties is about three
 * times larger).
 */
export async function loadRatedItems(tx: DbTransaction, campaignId: string, round: number, config: CampaignConfig): Promise<RatedPool> {
  const opts: DifficultyOptions = {
    signal: config.difficulty.signal,
    combine: config.difficulty.combine,
    mfdDelta: config.selection.delta,
    ifdDelta: config.difficulty.ifd.delta,
    ifdMax: config.difficulty.ifd.max,
  };
  const rated: RatedItem[] = [];
  const unusable: Record<string, number> = {};
  const categoryNames = new Map<string, string>(); // one string per category, not one per item
  const sourceNames = new Map<string, string>();
  let measured = 0;
  await tx.execute(sql`
    declare tapir_rated_items no scroll cursor for
    select i.id, coalesce(i.category, 'Others') as category, coalesce(i.source, seed.source) as source, i.origin = 'expanded' as expanded, i.origin = 'synthesized' as synthesized, j.mfd, f.ifd
      from items i
      left join items seed on seed.id = i.seed_item_id
      left join judgments j on j.item_id = i.id and j.round = ${round}
      left join ifd_scores f on f.item_id = i.id and f.round = ${round}
     where i.campaign_id = ${campaignId} and i.status = 'judged'
     order by i.id`);
  for (;;) {
    const page = await tx.execute<{ id: number; category: string; source: string | null; expanded: boolean; synthesized: boolean; mfd: number | null; ifd: number | null }>(
      sql.raw(`fetch forward ${PAGE_ROWS} from tapir_rated_items`),
    );
    for (const row of page.rows) {
      measured++;
      let category = categoryNames.get(row.category);
      if (category === undefined) categoryNames.set(row.category, (category = row.category));
      let source: string | null = null;
      if (row.source !== null) {
        source = sourceNames.get(row.source) ?? null;
        if (source === null) sourceNames.set(row.source, (source = row.source));
      }
      const item: RatedItem = {
        itemId: Number(row.id),
        category,
        source,
        expanded: row.expanded === true,
        synthesized: row.synthesized === true,
        mfd: row.mfd === null ? null : Number(row.mfd),
        ifd: row.ifd === null ? null : Number(row.ifd),
        hard: false,
        difficulty: 0,
      };
      const verdict = classifyDifficulty(item, opts);
      if (verdict.usable) {
        item.hard = verdict.hard;
        item.difficulty = verdict.difficulty;
        rated.push(item);
      } else {
        const reason = verdict.reason ?? 'unusable';
        unusable[reason] = (unusable[reason] ?? 0) + 1;
      }
    }
    if (page.rows.length < PAGE_ROWS) break;
  }
  await tx.execute(sql`close tapir_rated_items`);
  return { rated, unusable, measured };
}
