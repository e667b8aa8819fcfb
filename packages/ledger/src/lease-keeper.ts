import { hostname } from 'node:os';
import { LEDGER_RENEW_LEASES, type Db } from '@tapir/db';

/** How long a request's row stays ours without a renewal; TAPIR_LEDGER_LEASE_MS overrides it. */
export const DEFAULT_LEDGER_LEASE_MS = 30_000;

/**
 * The ledger lease from the environment (tests shorten it to see a killed worker's rows taken
 * over within seconds). Too short a lease risks a live worker's request being taken over while
 * PostgreSQL is briefly unreachable; too long delays the jobs that wait for a dead worker's rows.
 */
export function ledgerLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TAPIR_LEDGER_LEASE_MS;
  if (raw === undefined || raw === '') return DEFAULT_LEDGER_LEASE_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 300) throw new Error(`TAPIR_LEDGER_LEASE_MS must be an integer number of milliseconds >= 300, got "${raw}"`);
  return ms;
}

/**
 * Keeps the leases of this process's requests on the wire alive: one UPDATE for all of them every
 * third of a lease, not one per request, so the hot path pays nothing for it. A row whose process
 * died stops being renewed, and once its lease has run out the next request for its key takes it
 * over (see LEDGER_CLAIM) and reconcile closes it as `abandoned`. The lease is independent of the
 * request timeout: a slow answer keeps its row as long as its process lives.
 */
export class LeaseKeeper {
  /** Who holds the leases: the host and process, so an abandoned row says whose it was. */
  readonly owner = `${hostname()}:${process.pid}`;
  private readonly held = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;

  constructor(
    private readonly db: Db,
    readonly leaseMs: number,
  ) {}

  hold(callId: number): void {
    this.held.add(callId);
    if (!this.timer) {
      this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
      this.timer.unref();
    }
  }

  release(callId: number): void {
    this.held.delete(callId);
    if (this.held.size === 0) this.stop();
  }

  close(): void {
    this.held.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = true;
    try {
      await this.db.$client.query({ text: LEDGER_RENEW_LEASES.text, values: [[...this.held], this.leaseMs] });
    } catch {
      // PostgreSQL unreachable: the next tick tries again; a lease outliving the outage keeps the rows ours.
    } finally {
      this.renewing = false;
    }
  }
}
