import { mfdHistogram, roundLimits, type CampaignConfig, type HistogramBin, type PlanSummary } from '@tapir/core';
import type { Db } from '@tapir/db';
import { sql, type SQL } from 'drizzle-orm';

export interface CategoryMeasurement {
  measured: number;
  hard: number;
  mfdMean: number | null;
  ifdMean: number | null;
}

/** What one round measured of its student: how much it still has to learn, per category. */
export interface RoundMeasurement {
  round: number;
  studentModel: string;
  studentBaseUrl: string | null;
  /** measuring | expanding | planned | completed */
  state: string;
  measured: number;
  hard: number;
  /** hard / measured: the share of the pool this round's student cannot do yet. */
  hardShare: number | null;
  mfd: { count: number; mean: number | null; histogram: HistogramBin[] };
  ifd: { count: number; mean: number | null } | null;
  categories: Record<string, CategoryMeasurement>;
  plan: {
    selected: number;
    planned: number;
    plannedUnique: number;
    repeats: number;
    expanded: number;
    hardShareTarget: number | null;
    stageSizes: number[];
    /** plannedHard / planned, from rounds planned since issue 19 only (older ones did not record it). */
    hardShareExported?: number;
    /** What kept the round from its target; rounds planned since issue 19 only. */
    limitedBy?: string[];
  } | null;
  expansions: Record<string, number>;
}

const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** The configured "hard" test as SQL over the joined mfd and ifd columns. */
function hardCondition(config: CampaignConfig): SQL {
  const delta = config.selection.delta;
  const { delta: ifdDelta, max: ifdMax } = config.difficulty.ifd;
  const mfdHard = sql`(m.mfd >= ${delta})`;
  const ifdHard = sql`(m.ifd >= ${ifdDelta} and m.ifd <= ${ifdMax})`;
  switch (config.difficulty.signal) {
    case 'mfd':
      return mfdHard;
    case 'ifd':
      return ifdHard;
    case 'both':
      return config.difficulty.combine === 'and'
        ? sql`(${mfdHard} and ${ifdHard})`
        : sql`((m.mfd >= ${delta} or m.ifd >= ${ifdDelta}) and m.ifd <= ${ifdMax})`;
  }
}

/** Every round's measurements in a few grouped queries, whatever the pool size. */
export async function roundMeasurements(db: Db, campaignId: string, config: CampaignConfig): Promise<RoundMeasurement[]> {
  const roundRows = (
    await db.execute<{
      round: number;
      student_model: string;
      student_base_url: string | null;
      planned_at: Date | null;
      completed_at: Date | null;
      expansion_passes: number;
      plan_summary: PlanSummary | null;
    }>(sql`select round, student_model, student_base_url, planned_at, completed_at, expansion_passes, plan_summary
             from rounds where campaign_id = ${campaignId} order by round`)
  ).rows;
  const perCategory = (
    await db.execute<{ round: number; category: string; n: string; hard: string; n_mfd: string; mfd_mean: number | null; n_ifd: string; ifd_mean: number | null }>(sql`
      with m as (
        select r.round, coalesce(i.category, 'Others') as category, j.mfd, f.ifd
          from rounds r
          join items i on i.campaign_id = r.campaign_id
          left join judgments j on j.item_id = i.id and j.round = r.round
          left join ifd_scores f on f.item_id = i.id and f.round = r.round
         where r.campaign_id = ${campaignId} and (j.id is not null or f.id is not null)
      )
      select m.round, m.category, count(*) as n, count(*) filter (where ${hardCondition(config)}) as hard,
             count(m.mfd) as n_mfd, avg(m.mfd) as mfd_mean, count(m.ifd) as n_ifd, avg(m.ifd) as ifd_mean
        from m group by m.round, m.category order by m.round, m.category`)
  ).rows;
  const mfdValues = (
    await db.execute<{ round: number; mfd: number; n: string }>(
      sql`select round, mfd, count(*) as n from judgments where campaign_id = ${campaignId} group by round, mfd`,
    )
  ).rows;
  const expansionRows = (
    await db.execute<{ round: number; status: string; n: string }>(
      // Ordered: the outcomes become an object whose key order `tapir status --json` shows.
      sql`select round, status, count(*) as n from expansions where campaign_id = ${campaignId} group by round, status order by round, status`,
    )
  ).rows;

  return roundRows.map((r) => {
    const round = Number(r.round);
    const categories: Record<string, CategoryMeasurement> = {};
    let measured = 0;
    let hard = 0;
    let mfdSum = 0;
    let mfdCount = 0;
    let ifdSum = 0;
    let ifdCount = 0;
    for (const c of perCategory.filter((p) => Number(p.round) === round)) {
      const n = Number(c.n);
      const h = Number(c.hard);
      const nMfd = Number(c.n_mfd);
      const nIfd = Number(c.n_ifd);
      categories[c.category] = {
        measured: n,
        hard: h,
        mfdMean: r3(c.mfd_mean === null ? null : Number(c.mfd_mean)),
        ifdMean: r3(c.ifd_mean === null ? null : Number(c.ifd_mean)),
      };
      measured += n;
      hard += h;
      if (c.mfd_mean !== null) {
        mfdSum += Number(c.mfd_mean) * nMfd;
        mfdCount += nMfd;
      }
      if (c.ifd_mean !== null) {
        ifdSum += Number(c.ifd_mean) * nIfd;
        ifdCount += nIfd;
      }
    }
    const values: number[] = [];
    for (const v of mfdValues.filter((m) => Number(m.round) === round)) {
      for (let k = 0; k < Number(v.n); k++) values.push(Number(v.mfd));
    }
    const summary = r.plan_summary;
    const expansions: Record<string, number> = {};
    for (const e of expansionRows.filter((x) => Number(x.round) === round)) expansions[e.status] = Number(e.n);
    return {
      round,
      studentModel: r.student_model,
      studentBaseUrl: r.student_base_url,
      state: r.completed_at ? 'completed' : r.planned_at ? 'planned' : (expansions.pending ?? 0) > 0 ? 'expanding' : 'measuring',
      measured,
      hard,
      hardShare: measured === 0 ? null : r3(hard / measured),
      mfd: { count: mfdCount, mean: r3(mfdCount ? mfdSum / mfdCount : null), histogram: mfdHistogram(values) },
      ifd: config.difficulty.signal === 'mfd' ? null : { count: ifdCount, mean: r3(ifdCount ? ifdSum / ifdCount : null) },
      categories,
      plan: summary
        ? {
            selected: summary.hard + summary.easyKept,
            planned: summary.planned,
            plannedUnique: summary.plannedUnique,
            repeats: summary.repeats,
            expanded: summary.plannedExpanded,
            hardShareTarget: summary.hardShareTarget,
            stageSizes: summary.stageSizes,
            ...(summary.hardShareExported === undefined ? {} : { hardShareExported: summary.hardShareExported, limitedBy: roundLimits(summary) }),
          }
        : null,
      expansions,
    };
  });
}
