import type { EndpointOutage } from './endpoint-outage';
import type { FaultInjector } from './fault-injector';
import type { TimerSet } from './http-io';
import type { ResolvedOptions } from './options';
import type { SlidingWindowRateLimiter } from './rate-limiter';
import type { RequestJournal } from './request-journal';
import type { StatsRecorder } from './stats';

/** Everything a request handler may consult or update; one object so handlers have one dependency. */
export interface SimulatorState {
  /** Replaced wholesale by configure(); always read through the state, never cached. */
  options: ResolvedOptions;
  readonly limiter: SlidingWindowRateLimiter;
  readonly faults: FaultInjector;
  readonly stats: StatsRecorder;
  readonly journal: RequestJournal;
  readonly timers: TimerSet;
  /** Keys refused with a 401 (POST /sim/keys), as a provider refuses a revoked key. */
  readonly revokedKeys: Set<string>;
  /** The endpoint taken down for a while (POST /sim/outage). */
  readonly outage: EndpointOutage;
}
