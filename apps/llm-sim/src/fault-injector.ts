import { createPrng, hashParts } from './hashing';
import type { FaultOptions } from './options';

export type FaultOutcome = 'none' | 'server_error' | 'overloaded' | 'timeout' | 'reset' | 'rate_limit';

export interface FaultDecision {
  outcome: FaultOutcome;
  malformedJudge: boolean;
}

const OUTCOME_ORDER: ReadonlyArray<[Exclude<FaultOutcome, 'none'>, keyof FaultOptions]> = [
  ['server_error', 'serverErrorRate'],
  ['overloaded', 'overloadedRate'],
  ['timeout', 'timeoutRate'],
  ['reset', 'resetRate'],
  ['rate_limit', 'rateLimitRate'],
];

/**
 * Seeded fault decisions. The draw mixes the request hash with a per-server attempt counter: a run
 * is reproducible from a fresh server, yet retrying an identical request draws again, as a
 * retry against a flaky provider would. The outcomes partition one uniform draw, so the
 * configured rates are honoured exactly in expectation (later ones shrink if they sum past 1).
 */
export class FaultInjector {
  private attempts = 0;

  decide(requestHash: number, seed: number, faults: FaultOptions): FaultDecision {
    const random = createPrng(hashParts('fault', requestHash, seed, this.attempts++));
    const draw = random();
    let threshold = 0;
    let outcome: FaultOutcome = 'none';
    for (const [candidate, key] of OUTCOME_ORDER) {
      threshold += faults[key] ?? 0;
      if (draw < threshold) {
        outcome = candidate;
        break;
      }
    }
    return { outcome, malformedJudge: random() < (faults.malformedJudgeRate ?? 0) };
  }

  reset(): void {
    this.attempts = 0;
  }
}
