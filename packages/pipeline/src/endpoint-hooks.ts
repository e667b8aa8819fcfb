import type { SendHook } from '@tapir/ledger';
import type { EndpointRateLimiter } from '@tapir/llm';
import type { RoleEndpoint } from './campaign-registry';

/**
 * The endpoint's shared rate limit: wait for it before sending (also without configured limits:
 * a 429 seen by any worker blocks the endpoint for all), hand back unused tokens, and slow the
 * endpoint for every worker on a 429 (the job itself is postponed without spending an attempt,
 * see failure-kind.ts).
 */
export function rateLimitHook(rate: EndpointRateLimiter, endpoint: RoleEndpoint): SendHook {
  const limits = endpoint.settings.rateLimit ?? {};
  return {
    before: async (worstCase) => {
      await rate.acquire(endpoint.endpointKey, limits, worstCase.tokens);
    },
    afterAnswer: (worstCase, used) =>
      limits.tpm ? rate.settleTokens(endpoint.endpointKey, limits, worstCase.tokens, used.tokens) : Promise.resolve(),
    afterFailure: async (err) => {
      if (err.kind === 'rate_limit') await rate.onRateLimited(endpoint.endpointKey, limits, err.retryAfterMs);
    },
  };
}

/** The role's concurrency caps requests in flight, not the ledger writes around them. */
export function concurrencyHook(endpoint: RoleEndpoint): SendHook {
  return { around: (send) => endpoint.limiter.run(send) };
}
