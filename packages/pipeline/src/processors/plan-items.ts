import { classifyDifficulty, type CampaignConfig, type DifficultyOptions } from '@tapir/core';
import type { Db } from '@tapir/db';
import { sql } from 'drizzle-orm';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A measured item with its verdict under the configured difficulty signal. */
export interface RatedItem {
  itemId: number;
  category: string;
  expanded: boolean;
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

/**
 * Loads a round's measured items and rates each by the configured signal. The query returns
 * column arrays, not a row object per item, and each item becomes one object literal with its
 * final shape (a spread copy with two added properties is about three times larger): at
 * 100,000 items these were the planner's memory peak. The columns die when this returns.
 */
export async function loadRatedItems(tx: Tx, campaignId: string, round: number, config: CampaignConfig): Promise<RatedPool> {
  const columns = (
    await tx.execute<{ ids: number[]; categories: string[]; expanded: boolean[]; mfds: (number | null)[]; ifds: (number | null)[] }>(sql`
      select coalesce(array_agg(i.id order by i.id), '{}') as ids,
             coalesce(array_agg(coalesce(i.category, 'Others') order by i.id), '{}') as categories,
             coalesce(array_agg(i.origin = 'expanded' order by i.id), '{}') as expanded,
             coalesce(array_agg(j.mfd order by i.id), '{}') as mfds,
             coalesce(array_agg(f.ifd order by i.id), '{}') as ifds
        from items i
        left join judgments j on j.item_id = i.id and j.round = ${round}
        left join ifd_scores f on f.item_id = i.id and f.round = ${round}
       where i.campaign_id = ${campaignId} and i.status = 'judged'`)
  ).rows[0]!;
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
  for (let k = 0; k < columns.ids.length; k++) {
    const rawCategory = columns.categories[k]!;
    let category = categoryNames.get(rawCategory);
    if (category === undefined) categoryNames.set(rawCategory, (category = rawCategory));
    const mfd = columns.mfds[k];
    const ifd = columns.ifds[k];
    const item: RatedItem = {
      itemId: columns.ids[k]!,
      category,
      expanded: columns.expanded[k] === true,
      mfd: mfd === null || mfd === undefined ? null : Number(mfd),
      ifd: ifd === null || ifd === undefined ? null : Number(ifd),
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
  return { rated, unusable, measured: columns.ids.length };
}
