import { UNKNOWN_SOURCE, type PlanSummary } from '@tapir/core';
import type { Db } from '@tapir/db';
import { sql } from 'drizzle-orm';

/** One source in `tapir status` and the export manifest. */
export interface SourceStatus {
  name: string;
  /** Items of the campaign from it (expanded items count under their seed's source). */
  items: number;
  /** Hard items / rated items of the round's pool from it; null before the round is planned. */
  hardShare: number | null;
  /** Curriculum rows of the round from it, and those its share asked for (null: no share set). */
  plannedRows: number | null;
  wantedRows: number | null;
}

/**
 * Per source, in import order (sources the summary does not know, e.g. items of an old campaign
 * without sources, last). Pure: the caller reads the counts.
 */
export function sourceStatuses(order: readonly string[], items: Record<string, number>, plan: PlanSummary | null): SourceStatus[] {
  const names = [...new Set([...order, ...Object.keys(items), ...Object.keys(plan?.sources ?? {})])];
  return names.map((name) => {
    const planned = plan?.sources?.[name];
    return {
      name,
      items: items[name] ?? 0,
      hardShare: planned && planned.items > 0 ? Math.round((planned.hardItems / planned.items) * 1000) / 1000 : null,
      plannedRows: planned ? planned.planned : plan ? 0 : null,
      wantedRows: planned?.wanted ?? null,
    };
  });
}

/** Items per source; expanded items under their seed's. */
export async function itemsBySource(db: Db, campaignId: string): Promise<Record<string, number>> {
  const rows = (
    await db.execute<{ source: string; n: string }>(sql`
      select coalesce(i.source, seed.source, ${UNKNOWN_SOURCE}) as source, count(*) as n
        from items i left join items seed on seed.id = i.seed_item_id
       where i.campaign_id = ${campaignId} and i.status <> 'failed'
       group by 1`)
  ).rows;
  return Object.fromEntries(rows.map((r) => [r.source, Number(r.n)]));
}

/** Source names in import order, from a campaign's import summary. */
export function importedSourceOrder(importSummary: unknown): string[] {
  const sources = (importSummary as { sources?: { name: string }[] } | null)?.sources;
  return Array.isArray(sources) ? sources.map((s) => s.name) : [];
}

/**
 * The file an item came from: its source's shard file from the import summary (items store the
 * source name and shard index, not the path per row), else the summary's one file (campaigns
 * imported before sources).
 */
export function itemSourceFile(importSummary: unknown, source: string | null, shard: number | null): string | null {
  const summary = importSummary as { file?: unknown; sources?: { name: string; files?: string[] }[] } | null;
  const entry = source === null ? undefined : summary?.sources?.find((s) => s.name === source);
  const file = entry?.files?.[shard ?? 0];
  if (typeof file === 'string') return file;
  return typeof summary?.file === 'string' ? summary.file : null;
}
