import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@tapir/db';
import { signalNeeds } from './difficulty-signals';
import type { RoundContext } from './steps/step-definition';
import { defaultStepRegistry } from './steps/registry';
import type { StepRegistry } from './steps/step-registry';

export interface StepProgress {
  step: string;
  /** The CLI's label for the step. */
  label: string;
  done: number;
  failed: number;
  total: number;
}

export interface CampaignProgress {
  campaignId: string;
  status: string;
  message: string | null;
  round: number;
  items: number;
  steps: StepProgress[];
}

/**
 * Counts per step for the live progress bars: every step's columns in one query over the
 * campaign's items, whatever the campaign size. Steps the campaign does not use (the student
 * answer and judge with IFD alone, IFD with MFD alone, expansion when nothing was expanded) are
 * left out, as each step says.
 */
export async function campaignProgress(db: Db, campaignId: string, steps: StepRegistry = defaultStepRegistry): Promise<CampaignProgress | undefined> {
  const head = await db.execute<{ status: string; message: string | null; round: number; signal: 'mfd' | 'ifd' | 'both' | null }>(
    sql`select status, message, current_round as round, config->'difficulty'->>'signal' as signal from campaigns where id = ${campaignId}`,
  );
  const campaign = head.rows[0];
  if (!campaign) return undefined;
  const ctx: RoundContext = { campaignId, round: campaign.round, needs: signalNeeds({ difficulty: { signal: campaign.signal ?? 'mfd' } }) };
  const withProgress = steps.steps.filter((step) => step.progress);
  const columns: SQL[] = [sql`count(*) as items`];
  withProgress.forEach((step, i) => {
    const c = step.progress!.columns(ctx);
    columns.push(sql`${c.done} as ${sql.raw(`s${i}_done`)}`, sql`${c.failed} as ${sql.raw(`s${i}_failed`)}`, sql`${c.total} as ${sql.raw(`s${i}_total`)}`);
  });
  const counts = await db.execute<Record<string, string | number | null>>(
    sql`select ${sql.join(columns, sql`, `)} from items where campaign_id = ${campaignId}`,
  );
  const row = counts.rows[0] ?? {};
  const n = (key: string) => Number(row[key] ?? 0);
  const progress: StepProgress[] = [];
  withProgress.forEach((step, i) => {
    const c = { done: n(`s${i}_done`), failed: n(`s${i}_failed`), total: n(`s${i}_total`) };
    if (step.progress!.shown && !step.progress!.shown(ctx, c)) return;
    progress.push({ step: step.name, label: step.label, ...c });
  });
  return { campaignId, status: campaign.status, message: campaign.message, round: campaign.round, items: n('items'), steps: progress };
}
