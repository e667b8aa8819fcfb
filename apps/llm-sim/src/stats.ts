import { BillingRecorder, type WireStats } from './billing-recorder';

/** Counters of simulated provider traffic (/v1/*); /health and /sim/* are not counted. */

export interface ModelStats {
  requests: number;
  ok: number;
  rateLimited: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
}

export interface SimulatorStats {
  requests: number;
  byModel: Record<string, ModelStats>;
  /** Keyed "METHOD /path", e.g. "POST /v1/chat/completions". */
  byEndpoint: Record<string, number>;
  /** Faults injected on purpose (not real rate limits or validation errors), by kind. */
  injected: Record<string, number>;
  /**
   * Successful replies by what the model was asked to do (answer, judge, classify, expand,
   * completion, logprobs): a model name plays several roles, so per-model counts cannot tell.
   */
  byKind: Record<string, number>;
  /** What was billed per request key and what is on the wire now (see BillingRecorder). */
  wire: WireStats;
}

export type RequestOutcome = 'ok' | 'rate_limited' | 'error';

export class StatsRecorder {
  private stats: Omit<SimulatorStats, 'wire'> = emptyStats();
  readonly billing = new BillingRecorder();

  countRequest(endpoint: string): void {
    this.stats.requests++;
    this.stats.byEndpoint[endpoint] = (this.stats.byEndpoint[endpoint] ?? 0) + 1;
  }

  /** Called once per request that named a model, when its fate is known. */
  recordOutcome(model: string, outcome: RequestOutcome, inputTokens = 0, outputTokens = 0): void {
    let entry = this.stats.byModel[model];
    if (entry === undefined) {
      entry = { requests: 0, ok: 0, rateLimited: 0, errors: 0, inputTokens: 0, outputTokens: 0 };
      this.stats.byModel[model] = entry;
    }
    entry.requests++;
    if (outcome === 'ok') entry.ok++;
    else if (outcome === 'rate_limited') entry.rateLimited++;
    else entry.errors++;
    entry.inputTokens += inputTokens;
    entry.outputTokens += outputTokens;
  }

  recordReply(kind: string): void {
    this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
  }

  recordInjected(kind: string): void {
    this.stats.injected[kind] = (this.stats.injected[kind] ?? 0) + 1;
  }

  /** A deep copy, so callers can keep it while traffic continues. */
  snapshot(): SimulatorStats {
    return { ...structuredClone(this.stats), wire: this.billing.snapshot() };
  }

  reset(): void {
    this.stats = emptyStats();
    this.billing.reset();
  }
}

function emptyStats(): Omit<SimulatorStats, 'wire'> {
  return { requests: 0, byModel: Object.create(null) as Record<string, ModelStats>, byEndpoint: {}, injected: {}, byKind: {} };
}
