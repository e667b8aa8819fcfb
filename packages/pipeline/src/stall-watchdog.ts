import { campaigns, isConnectionError, WORKING_CAMPAIGN_STATUSES } from '@tapir/db';
import { inArray } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { campaignProgress } from './progress';
import { reconcileCampaign } from './reconcile';
import { describeError } from './retry-policy';
import type { PipelineServices } from './services';
import { stallVerdict, type StallMark } from './stall-verdict';

/** How long a working campaign may show no progress before PostgreSQL is asked again what is due. */
export const DEFAULT_STALL_MS = 15_000;

/** The stall window: TAPIR_STALL_MS (tests shorten it), else 15 s. */
export function stallWindowMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.TAPIR_STALL_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_STALL_MS;
}

export interface StallWatchdogOptions {
  stallMs?: number;
  /** How often to look; a third of the stall window (at most 5 s) unless told. */
  tickMs?: number;
  /** Watch only these campaigns (`tapir run` without workers watches its own); default every working campaign. */
  campaignIds?: readonly string[];
}

const WORKING: readonly string[] = WORKING_CAMPAIGN_STATUSES;

/**
 * Reconciles a working campaign whose progress has not moved for the stall window: what a lost
 * queue (Redis flushed, a job's failure never recorded) leaves behind is rebuilt from PostgreSQL
 * without anyone running `tapir resume`. Every worker process runs one.
 *
 * Several watchdogs share their memory in Redis rather than each keeping its own: per campaign,
 * the first to take a lease (SET NX PX, one tick long) looks at it for everyone this tick, so the
 * fleet computes one fingerprint per campaign per tick whatever its size, and the mark (the
 * fingerprint and since when it has held, on Redis's clock, so machines' clocks need not agree)
 * makes one reconcile per stall window, not one per worker. A PostgreSQL advisory lock would
 * serialize the reconciles but not merge what each worker remembers, and holds a connection.
 * If Redis loses the mark (a wipe), the window simply starts again.
 */
export class StallWatchdog {
  private readonly stallMs: number;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  /** Reconciles this watchdog has made (tests, logs). */
  reconciles = 0;

  constructor(
    private readonly services: PipelineServices,
    private readonly redis: Redis,
    private readonly options: StallWatchdogOptions = {},
  ) {
    this.stallMs = options.stallMs ?? stallWindowMs();
    this.tickMs = options.tickMs ?? Math.max(200, Math.min(5000, Math.floor(this.stallMs / 3)));
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        this.schedule();
      });
    }, this.tickMs);
    this.timer.unref();
  }

  /** One look at every watched campaign; never throws (the next tick tries again). */
  async tick(): Promise<void> {
    let ids: readonly string[];
    try {
      ids = this.options.campaignIds ?? (await this.workingCampaigns());
    } catch (err) {
      this.logFailure(err);
      return;
    }
    for (const campaignId of ids) {
      if (this.stopped) return;
      await this.look(campaignId).catch((err: unknown) => this.logFailure(err, campaignId));
    }
  }

  private async workingCampaigns(): Promise<string[]> {
    const rows = await this.services.db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(inArray(campaigns.status, [...WORKING_CAMPAIGN_STATUSES]));
    return rows.map((r) => r.id);
  }

  private async look(campaignId: string): Promise<void> {
    const keys = this.keys(campaignId);
    if ((await this.redis.set(keys.lease, String(process.pid), 'PX', this.tickMs, 'NX')) === null) return;
    const progress = await campaignProgress(this.services.db, campaignId, this.services.steps);
    if (!progress || !WORKING.includes(progress.status)) {
      await this.redis.del(keys.mark);
      return;
    }
    const fingerprint = JSON.stringify([progress.status, progress.round, progress.steps]);
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const verdict = stallVerdict(await this.readMark(keys.mark), fingerprint, now, this.stallMs);
    // The mark is written before the reconcile, so that a watchdog taking the next lease while
    // this reconcile runs sees the window restarted and does not reconcile too.
    await this.redis
      .multi()
      .hset(keys.mark, 'fingerprint', verdict.next.fingerprint, 'since', String(verdict.next.since))
      .pexpire(keys.mark, this.stallMs * 4)
      .exec();
    if (!verdict.reconcile) return;
    this.services.logger.warn({ campaignId, stallMs: this.stallMs, status: progress.status }, 'campaign stalled: reconciling its queues');
    this.reconciles++;
    await reconcileCampaign(this.services, campaignId);
  }

  private async readMark(key: string): Promise<StallMark | undefined> {
    const [fingerprint, since] = await this.redis.hmget(key, 'fingerprint', 'since');
    return fingerprint != null && since != null ? { fingerprint, since: Number(since) } : undefined;
  }

  private keys(campaignId: string) {
    const base = `${this.services.queues.prefix}:stall-watchdog:${campaignId}`;
    return { lease: `${base}:lease`, mark: `${base}:mark` };
  }

  private logFailure(err: unknown, campaignId?: string): void {
    // PostgreSQL or Redis away for a while: the workers wait for them, and so does the watchdog.
    const level = isConnectionError(err) ? 'debug' : 'warn';
    this.services.logger[level]({ campaignId, reason: describeError(err) }, 'stall watchdog: look failed');
  }
}
