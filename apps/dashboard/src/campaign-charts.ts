import type { Db } from '@tapir/db';
import type { CampaignStatus } from '@tapir/pipeline';
import { categoryStageMatrix, type CategoryStageMatrix } from './category-stage-matrix';
import { IFD_BIN_WIDTH, IFD_BINS, ifdBinCounts, planCategoryStageCounts, progressTimeline, TIMELINE_BUCKETS } from './dashboard-queries';
import { ifdHistograms } from './ifd-histograms';
import type { HistogramBin } from '@tapir/core';
import { projectSpend, type SpendProjection } from './spend-projection';
import { cumulativeTimeline, type TimelineSeries } from './timeline-series';

/** What the campaign page draws beyond `tapir status --json` (which it fetches as it is). */
export interface CampaignCharts {
  timeline: TimelineSeries;
  heatmap: CategoryStageMatrix;
  projection: SpendProjection;
  /** Per round, when the campaign scores IFD (status carries only its count and mean). */
  ifd: { round: number; histogram: HistogramBin[] }[];
}

const RUNNING = new Set(['created', 'running', 'planning', 'expanding', 'refining']);

export async function campaignCharts(db: Db, status: CampaignStatus): Promise<CampaignCharts> {
  const id = status.campaign.id;
  const [timeline, cells, ifdRows] = await Promise.all([
    progressTimeline(db, id, RUNNING.has(status.campaign.status)),
    planCategoryStageCounts(db, id, status.campaign.round),
    ifdBinCounts(db, id),
  ]);
  return {
    timeline: timeline ? cumulativeTimeline(timeline.buckets, timeline.startMs, timeline.endMs, TIMELINE_BUCKETS) : { times: [], steps: [] },
    heatmap: categoryStageMatrix(cells, status.stages.length),
    ifd: ifdHistograms(ifdRows, IFD_BINS, IFD_BIN_WIDTH),
    projection: projectSpend({ steps: status.steps, llm: status.llm, budget: status.budget, status: status.campaign.status }),
  };
}
