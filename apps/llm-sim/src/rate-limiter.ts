import type { RateLimit } from './options';

const WINDOW_MS = 60_000;

export interface WindowEntry {
  at: number;
  tokens: number;
}

/** One model's accepted requests within the last minute, oldest first (a queue with a moving head). */
class ModelWindow {
  entries: WindowEntry[] = [];
  head = 0;
  tokenSum = 0;

  prune(now: number): void {
    const cutoff = now - WINDOW_MS;
    while (this.head < this.entries.length && (this.entries[this.head] as WindowEntry).at <= cutoff) {
      this.tokenSum -= (this.entries[this.head] as WindowEntry).tokens;
      this.head++;
    }
    // Compact occasionally so the array does not grow for ever under steady load.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  get count(): number {
    return this.entries.length - this.head;
  }

  entryAt(offset: number): WindowEntry | undefined {
    return this.entries[this.head + offset];
  }
}

/** Current standing of one model against its limits, for x-ratelimit-* style headers. */
export interface RateLimitSnapshot {
  limitRequests?: number;
  remainingRequests?: number;
  resetRequestsMs?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
}

export type AcquireResult =
  | { ok: true; ticket: WindowEntry | null; snapshot: RateLimitSnapshot }
  | { ok: false; limitType: 'requests' | 'tokens'; limit: number; used: number; requested: number; retryAfterMs: number; snapshot: RateLimitSnapshot };

/**
 * Per-model sliding-window limiter (requests and tokens per minute), in memory. Token use is
 * reserved up front (prompt + max_tokens, as OpenAI estimates it) and settled to the real usage
 * once the reply is known.
 */
export class SlidingWindowRateLimiter {
  private readonly windows = new Map<string, ModelWindow>();

  constructor(private readonly limitsFor: (model: string) => RateLimit | undefined) {}

  tryAcquire(model: string, estimatedTokens: number, now = Date.now()): AcquireResult {
    const limit = this.limitsFor(model);
    if (limit === undefined || (limit.rpm === undefined && limit.tpm === undefined)) {
      return { ok: true, ticket: null, snapshot: {} };
    }
    const window = this.windowFor(model);
    window.prune(now);
    if (limit.rpm !== undefined && window.count >= limit.rpm) {
      const oldest = window.entryAt(Math.max(0, window.count - limit.rpm));
      const retryAfterMs = Math.max(1, (oldest?.at ?? now) + WINDOW_MS - now);
      return { ok: false, limitType: 'requests', limit: limit.rpm, used: window.count, requested: 1, retryAfterMs, snapshot: this.snapshotOf(window, limit, now) };
    }
    if (limit.tpm !== undefined && window.tokenSum + estimatedTokens > limit.tpm) {
      const retryAfterMs = this.msUntilTokensFree(window, limit.tpm, estimatedTokens, now);
      return { ok: false, limitType: 'tokens', limit: limit.tpm, used: window.tokenSum, requested: estimatedTokens, retryAfterMs, snapshot: this.snapshotOf(window, limit, now) };
    }
    const ticket: WindowEntry = { at: now, tokens: estimatedTokens };
    window.entries.push(ticket);
    window.tokenSum += estimatedTokens;
    return { ok: true, ticket, snapshot: this.snapshotOf(window, limit, now) };
  }

  /** Replaces a reservation by the tokens actually used (if it is still inside the window). */
  settle(model: string, ticket: WindowEntry | null, actualTokens: number, now = Date.now()): void {
    if (ticket === null || ticket.at <= now - WINDOW_MS) return;
    const window = this.windows.get(model);
    if (window === undefined) return;
    window.tokenSum += actualTokens - ticket.tokens;
    ticket.tokens = actualTokens;
  }

  reset(): void {
    this.windows.clear();
  }

  private windowFor(model: string): ModelWindow {
    let window = this.windows.get(model);
    if (window === undefined) {
      window = new ModelWindow();
      this.windows.set(model, window);
    }
    return window;
  }

  /** When enough old reservations expire for this request to fit; a request larger than the whole limit never fits, so say a full window. */
  private msUntilTokensFree(window: ModelWindow, tpm: number, requested: number, now: number): number {
    if (requested > tpm) return WINDOW_MS;
    let sum = window.tokenSum;
    for (let i = 0; i < window.count; i++) {
      const entry = window.entryAt(i) as WindowEntry;
      sum -= entry.tokens;
      if (sum + requested <= tpm) return Math.max(1, entry.at + WINDOW_MS - now);
    }
    return WINDOW_MS;
  }

  private snapshotOf(window: ModelWindow, limit: RateLimit, now: number): RateLimitSnapshot {
    const oldest = window.entryAt(0);
    const resetMs = oldest === undefined ? 0 : Math.max(0, oldest.at + WINDOW_MS - now);
    const snapshot: RateLimitSnapshot = {};
    if (limit.rpm !== undefined) {
      snapshot.limitRequests = limit.rpm;
      snapshot.remainingRequests = Math.max(0, limit.rpm - window.count);
      snapshot.resetRequestsMs = resetMs;
    }
    if (limit.tpm !== undefined) {
      snapshot.limitTokens = limit.tpm;
      snapshot.remainingTokens = Math.max(0, limit.tpm - window.tokenSum);
      snapshot.resetTokensMs = resetMs;
    }
    return snapshot;
  }
}
