import type { DbTransaction } from '@tapir/db';
import { sql } from 'drizzle-orm';
import type { RatedItem } from './plan-items';

/** What the planner writes per curriculum row: an item as the rebalancer drew it. */
export interface PlannedEntry {
  readonly item: RatedItem;
  readonly category: string;
  readonly repeatIndex: number;
}

const INSERT_CHUNK = 5000;

/**
 * A JavaScript array of numbers, booleans or nulls as a PostgreSQL array literal. JSON writes
 * each of those exactly as the array input syntax reads it (`1.5`, `true`, `null`), so one
 * JSON.stringify per column replaces a bind parameter or a row array per value.
 */
function arrayLiteral(values: readonly (number | boolean | null)[]): string {
  return `{${JSON.stringify(values).slice(1, -1)}}`;
}

/**
 * Writes the staged plan (one list per stage, an entry's position its index), a chunk of rows per
 * statement, each column as one array parameter.
 * Row arrays (and before them, 11 bind parameters per row) were most of the planner's garbage
 * at 100,000 items; columns of numbers are packed arrays, and a category travels as its index
 * into a JSON array of the chunk's category names. Rows already written (a retried plan job) are kept.
 */
export async function insertPlanRows(tx: DbTransaction, campaignId: string, round: number, stages: readonly (readonly PlannedEntry[])[]): Promise<void> {
  const categoryIndex = new Map<string, number>();
  for (let s = 0; s < stages.length; s++) {
    const list = stages[s]!;
    for (let start = 0; start < list.length; start += INSERT_CHUNK) {
      // Sized up front: grown by push, the nine columns reallocated about 20 MB per 100,000 rows.
      const n = Math.min(list.length, start + INSERT_CHUNK) - start;
      const ids = new Array<number>(n);
      const repeats = new Array<number>(n);
      const categories = new Array<number>(n);
      const mfds = new Array<number | null>(n);
      const ifds = new Array<number | null>(n);
      const difficulties = new Array<number>(n);
      const hards = new Array<boolean>(n);
      const positions = new Array<number>(n);
      for (let k = 0; k < n; k++) {
        const entry = list[start + k]!;
        let category = categoryIndex.get(entry.category);
        if (category === undefined) categoryIndex.set(entry.category, (category = categoryIndex.size + 1));
        ids[k] = entry.item.itemId;
        repeats[k] = entry.repeatIndex;
        categories[k] = category;
        mfds[k] = entry.item.mfd;
        ifds[k] = entry.item.ifd;
        difficulties[k] = entry.item.difficulty;
        hards[k] = entry.item.hard;
        positions[k] = start + k;
      }
      await tx.execute(sql`
        insert into plan_entries (campaign_id, round, item_id, repeat_index, category, mfd, ifd, difficulty, hard, stage, position)
        select ${campaignId}, ${round}, r.item_id, r.repeat_index, ${JSON.stringify([...categoryIndex.keys()])}::jsonb ->> (r.category - 1),
               r.mfd, r.ifd, r.difficulty, r.hard, ${s + 1}, r.position
          from unnest(${arrayLiteral(ids)}::int[], ${arrayLiteral(repeats)}::int[], ${arrayLiteral(categories)}::int[],
                      ${arrayLiteral(mfds)}::real[], ${arrayLiteral(ifds)}::real[], ${arrayLiteral(difficulties)}::real[],
                      ${arrayLiteral(hards)}::boolean[], ${arrayLiteral(positions)}::int[])
            as r(item_id, repeat_index, category, mfd, ifd, difficulty, hard, position)
        on conflict do nothing`);
    }
  }
}
