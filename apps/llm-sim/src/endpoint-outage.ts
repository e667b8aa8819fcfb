import type { Server } from 'node:http';
import type { TimerSet } from './http-io';

/**
 * The endpoint going away for a while, as a crashed or unplugged provider does: the listening
 * socket closes (new connections are refused), open connections are destroyed (requests on the
 * wire see a reset), and after `downMs` the server listens again on the same port. A request cut
 * off by the outage is not billed: the server that would have generated its reply is gone. Each
 * outage starts a new epoch; a request remembers the epoch it came in under.
 */
export class EndpointOutage {
  epoch = 0;
  private server: Server | undefined;
  private port = 0;
  private host = '';
  private downUntil = 0;
  private restart: NodeJS.Timeout | undefined;

  constructor(private readonly timers: TimerSet) {}

  attach(server: Server, port: number, host: string): void {
    this.server = server;
    this.port = port;
    this.host = host;
  }

  isDown(): boolean {
    return this.downUntil > Date.now();
  }

  /** Resolves once nothing listens any more; the server comes back by itself after downMs. */
  async takeDown(downMs: number): Promise<void> {
    const server = this.server;
    if (!server) throw new Error('the simulator is not listening');
    this.epoch++;
    this.downUntil = Math.max(this.downUntil, Date.now() + downMs);
    if (this.restart) {
      // Already down: the outage is only made longer.
      clearTimeout(this.restart);
    } else {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Wakes the requests waiting out their latency: they see the new epoch and end unbilled.
      this.timers.cancelAll();
      await closed;
    }
    this.restart = setTimeout(() => void this.comeBack(), Math.max(0, this.downUntil - Date.now()));
  }

  /** Ends an outage now (a test's cleanup); no-op when up. */
  async bringUp(): Promise<void> {
    if (!this.restart) return;
    clearTimeout(this.restart);
    await this.comeBack();
  }

  /** Stops a pending come-back (the simulator is closing). */
  cancel(): void {
    if (this.restart) clearTimeout(this.restart);
    this.restart = undefined;
    this.downUntil = 0;
  }

  private comeBack(): Promise<void> {
    this.restart = undefined;
    this.downUntil = 0;
    const server = this.server!;
    return new Promise<void>((resolve) => {
      server.once('error', () => resolve());
      server.listen(this.port, this.host, () => resolve());
    });
  }
}
