import { campaignConfigSchema } from '@tapir/core';
import { campaigns } from '@tapir/db';
import { budgetPriceProblems, cancelCampaign, pauseCampaign, CampaignControlError, reconcileCampaign, resumeCampaign, retryFailed, type Pipeline } from '@tapir/pipeline';
import { eq } from 'drizzle-orm';
import { CliFailure, UsageError } from '../cli-errors';
import { withPipeline } from '../database';
import { assertEndpointsAnswer } from '../preflight-check';
import { driveCampaign, reportOutcome, runLogFor, type RunCommandOptions } from './run';

async function control<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CampaignControlError) throw new CliFailure(err.message);
    throw err;
  }
}

export async function resumeCommand(
  campaignId: string,
  opts: RunCommandOptions & { budget?: number; budgetTokens?: number },
): Promise<void> {
  const log = runLogFor(campaignId, opts);
  await withPipeline(log.logger, async (pipeline) => {
    if (opts.budget !== undefined) await assertPricedForBudget(pipeline, campaignId, opts.budget);
    // Before resume moves the campaign: a refused preflight leaves it paused, as it was.
    if (opts.workers && opts.preflight) {
      await assertEndpointsAnswer(pipeline, campaignId, { retry: `\`tapir resume ${campaignId}\`` });
    }
    await control(() =>
      resumeCampaign(pipeline.services, campaignId, {
        ...(opts.budget !== undefined ? { budgetUsd: opts.budget } : {}),
        ...(opts.budgetTokens !== undefined ? { budgetTokens: opts.budgetTokens } : {}),
      }),
    );
    const status = await driveCampaign(pipeline, campaignId, { ...opts, preflight: false, log });
    if (opts.detach) {
      process.stdout.write(`campaign ${campaignId} resumed and enqueued\n`);
      return;
    }
    await reportOutcome(pipeline, campaignId, status);
  });
}

/** `--budget USD` on a campaign with an unpriced model would never stop it: refused as at create. */
async function assertPricedForBudget(pipeline: Pipeline, campaignId: string, maxUsd: number): Promise<void> {
  const [row] = await pipeline.services.db.select({ config: campaigns.config }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (!row) return; // resumeCampaign says the campaign does not exist
  const config = campaignConfigSchema.parse(row.config);
  const problems = budgetPriceProblems({ ...config, budget: { ...config.budget, maxUsd } });
  if (problems.length > 0) throw new UsageError(problems.map((p) => p.replace('budget.maxUsd is set', `--budget ${maxUsd} is given`)).join('\n'));
}

export async function cancelCommand(campaignId: string): Promise<void> {
  await withPipeline('warn', async (pipeline) => {
    const removed = await control(() => cancelCampaign(pipeline.services, campaignId));
    process.stdout.write(
      `campaign ${campaignId} cancelled: ${removed} queued job(s) removed; jobs in flight stop at their next step.\n` +
        `Nothing finished is lost; \`tapir resume ${campaignId}\` continues it.\n`,
    );
  });
}

export async function pauseCommand(campaignId: string): Promise<void> {
  await withPipeline('warn', async (pipeline) => {
    await control(() => pauseCampaign(pipeline.services, campaignId));
    process.stdout.write(
      `campaign ${campaignId} paused: jobs in flight finish, queued ones wait.\n` + `Nothing finished is lost; \`tapir resume ${campaignId}\` continues it.\n`,
    );
  });
}

export async function retryFailedCommand(campaignId: string): Promise<void> {
  await withPipeline('warn', async (pipeline) => {
    const result = await control(() => retryFailed(pipeline.services, campaignId));
    await reconcileCampaign(pipeline.services, campaignId);
    const parts = [`${result.items} failed item(s)`, `${result.refinements} failed refinement(s)`];
    process.stdout.write(`campaign ${campaignId}: ${parts.join(' and ')} queued again.\n`);
    if (result.replanned) {
      process.stdout.write('The round had been planned without them: its plan will be made again (refined answers are kept).\n');
    }
    process.stdout.write(`Run \`tapir run ${campaignId}\` (or keep \`tapir worker\` processes running) to work on them.\n`);
  });
}
