import type { Db } from '@tapir/db';
import { sql } from 'drizzle-orm';

/** What the clean step did to a campaign's pool, for `tapir status` and the export manifest. */
export interface CleanCounts {
  /** Items not judged yet. */
  pending: number;
  kept: number;
  dropped: number;
  /** Dropped items by CleanReason, most first. */
  droppedByReason: Record<string, number>;
  /** Contaminated items by the benchmark they copy. */
  contaminatedByBenchmark: Record<string, number>;
}

export async function cleanCounts(db: Db, campaignId: string): Promise<CleanCounts> {
  const rows = (
    await db.execute<{ verdict: string | null; reason: string | null; benchmark: string | null; n: string }>(sql`
      select clean_verdict as verdict, clean_reason as reason, clean_evidence->>'benchmark' as benchmark, count(*) as n
        from items where campaign_id = ${campaignId} and (clean_verdict is not null or status <> 'failed')
       group by 1, 2, 3 order by count(*) desc, 2, 3`)
  ).rows;
  const counts: CleanCounts = { pending: 0, kept: 0, dropped: 0, droppedByReason: {}, contaminatedByBenchmark: {} };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.verdict === null) counts.pending += n;
    else if (r.verdict === 'kept') counts.kept += n;
    else {
      counts.dropped += n;
      const reason = r.reason ?? 'unknown';
      counts.droppedByReason[reason] = (counts.droppedByReason[reason] ?? 0) + n;
      if (r.benchmark) counts.contaminatedByBenchmark[r.benchmark] = (counts.contaminatedByBenchmark[r.benchmark] ?? 0) + n;
    }
  }
  return counts;
}
