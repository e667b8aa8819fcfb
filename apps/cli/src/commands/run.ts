import { campaigns, isConnectionError, transition, transitionSources } from '@tapir/db';
import {
  campaignProgress,
  campaignStatus,
  reconcileCampaign,
  StallWatchdog,
  unpricedWarnings,
  WorkerHost,
  type Pipeline,
} from '@tapir/pipeline';
import { campaignConfigSchema } from '@tapir/core';
import { eq } from 'drizzle-orm';
import { CampaignPausedFailure, CliFailure } from '../cli-errors';
import { assertApiKeysPresent } from '../config-file';
import { withPipeline } from '../database';
import { formatStatus } from '../format-status';
import { assertEndpointsAnswer } from '../preflight-check';
import { ProgressView } from '../progress-view';
import { runOutcome } from '../run-outcome';
import { openRunLog, type RunLog } from '../run-log';

export interface DriveOptions {
  workers: boolean;
  detach?: boolean;
  concurrency: number;
  pollMs?: number;
  /** false: skip the preflight (`--no-preflight`, or the caller has already run it). */
  preflight?: boolean;
  /** Where the live view says the log is, and whose warnings it summarises. */
  log?: RunLog;
}

/** The options `run`, `resume` and `round next` share. */
export interface RunCommandOptions {
  workers: boolean;
  detach?: boolean;
  concurrency: number;
  preflight: boolean;
  logFile?: string;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled', 'paused']);

/**
 * Enqueues what is due, runs workers in this process (unless told not to), and shows progress
 * until the campaign finishes. Returns the final status.
 */
export async function driveCampaign(pipeline: Pipeline, campaignId: string, opts: DriveOptions): Promise<string> {
  const { db } = pipeline.services;
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!row) throw new CliFailure(`campaign ${campaignId} does not exist (see \`tapir list\`)`);
  if (row.status === 'completed') return row.status;
  if (row.status === 'paused' || row.status === 'cancelled') {
    const text =
      `campaign ${campaignId} is ${row.status}${row.message ? `: ${row.message}` : ''}\n` +
      `continue it with \`tapir resume ${campaignId}\`${row.status === 'paused' ? ' (--budget USD to raise the budget)' : ''}`;
    throw row.status === 'paused' ? new CampaignPausedFailure(text) : new CliFailure(text);
  }
  const config = campaignConfigSchema.parse(row.config);
  if (opts.workers) assertApiKeysPresent(config);
  // Models are called from here only with workers in this process; standalone workers check their own.
  if (opts.workers && opts.preflight !== false) await assertEndpointsAnswer(pipeline, campaignId);
  for (const warning of unpricedWarnings(config)) process.stderr.write(`tapir: ${warning}\n`);
  await transition(db, campaignId, transitionSources('run', 'running'), 'running');
  await reconcileCampaign(pipeline.services, campaignId);
  if (opts.detach) return 'running';

  const host = opts.workers ? new WorkerHost(pipeline.services, pipeline.redis, { concurrency: opts.concurrency }) : undefined;
  host?.start();
  // The same watchdog as a standalone worker's (it shares their mark in Redis), on this campaign
  // only: with workers here this is a worker process too, but `tapir run` answers for its campaign.
  const watchdog = new StallWatchdog(pipeline.services, pipeline.redis, { campaignIds: [campaignId] });
  watchdog.start();
  const view = new ProgressView({ warnings: opts.log?.tally, logFile: opts.log?.file });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let status: string = row.status;
  try {
    for (;;) {
      let progress;
      try {
        progress = await campaignProgress(db, campaignId, pipeline.services.steps);
      } catch (err) {
        // PostgreSQL away for a while: the workers wait for it, and so does the watcher.
        if (!isConnectionError(err)) throw err;
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!progress) throw new CliFailure(`campaign ${campaignId} disappeared`);
      view.update(progress);
      status = progress.status;
      if (FINISHED.has(status) || interrupted) break;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
    }
  } finally {
    await watchdog.stop();
    view.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (host) {
      // In-flight jobs may finish (their answers are paid for); after 30 s the rest are left to
      // the stalled-job check of whichever worker runs next.
      const bound = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000).unref());
      if ((await Promise.race([host.close(), bound])) === 'timeout') await host.close(true);
    }
  }
  if (interrupted) {
    process.stderr.write(`stopped; nothing finished is lost. Continue with: tapir run ${campaignId}\n`);
    process.exitCode = 130;
  }
  return status;
}

export async function runCommand(campaignId: string, opts: RunCommandOptions): Promise<void> {
  const log = runLogFor(campaignId, opts);
  await withPipeline(log.logger, async (pipeline) => {
    const status = await driveCampaign(pipeline, campaignId, { ...opts, log });
    if (opts.detach) {
      process.stdout.write(`campaign ${campaignId} enqueued; run \`tapir worker\` processes to work on it\n`);
      return;
    }
    await reportOutcome(pipeline, campaignId, status);
  });
}

/** The live view owns the terminal only when there is one and the command stays to watch. */
export function runLogFor(campaignId: string, opts: Pick<RunCommandOptions, 'detach' | 'logFile'>): RunLog {
  return openRunLog(campaignId, { logFile: opts.logFile, tty: Boolean(process.stderr.isTTY) && !opts.detach });
}

/**
 * The final summary, then the exit code (run-outcome.ts): 0 only for a completed round with rows
 * and few enough failures; 3 paused; 4 too many failed; 1 otherwise.
 */
export async function reportOutcome(pipeline: Pipeline, campaignId: string, status: string): Promise<void> {
  const report = await campaignStatus(pipeline.services.db, campaignId);
  if (!report) throw new CliFailure(`campaign ${campaignId} disappeared`);
  process.stdout.write(formatStatus(report) + '\n');
  if (process.exitCode === 130) return; // interrupted: the campaign goes on at the next run, nothing to judge yet
  const config = campaignConfigSchema.parse(
    (await pipeline.services.db.select({ config: campaigns.config }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.config,
  );
  const outcome = runOutcome({
    campaignId,
    // The status the watch ended on: a campaign paused under our eyes and resumed by another
    // process since is still what this run saw.
    status,
    message: report.campaign.message,
    round: report.campaign.round,
    plannedRows: report.stages.reduce((sum, stage) => sum + stage.count, 0),
    items: { total: report.items.total, failed: report.items.failed },
    failures: report.failures,
    maxFailedShare: config.limits.maxFailedShare,
  });
  for (const line of outcome.lines) process.stderr.write(`tapir: ${line}\n`);
  if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = outcome.exitCode;
}
