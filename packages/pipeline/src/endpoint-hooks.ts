import { CampaignHaltedError, type SendHook } from '@tapir/ledger';
import { HALTED_STATUSES, type CampaignGate } from './campaign-gate';
import type { EndpointRateLimiter } from '@tapir/llm';
import type { RoleEndpoint } from './campaign-registry';

/** What the send hooks need of an endpoint: a role's, or the embeddings endpoint of `clean:`. */
export type HookedEndpoint = Pick<RoleEndpoint, 'endpointKey' | 'limiter'> & { settings: { rateLimit?: RoleEndpoint['settings']['rateLimit'] } };

/**
 * The endpoint's shared rate limit: wait for it before sending (also without configured limits:
 * a 429 seen by any worker blocks the endpoint for all), hand back unused tokens, and slow the
 * endpoint for every worker on a 429 (the job itself is postponed without spending an attempt,
 * see failure-kind.ts).
 */
export function rateLimitHook(rate: EndpointRateLimiter, endpoint: HookedEndpoint): SendHook {
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
export function concurrencyHook(endpoint: HookedEndpoint): SendHook {
  return { around: (send) => endpoint.limiter.run(send) };
}

/**
 * The last look before a request goes on the wire, inside its concurrency slot: a campaign paused
 * or cancelled while the request waited for the slot does not send it (its job is dropped, and
 * resume enqueues it again). The gate caches the status for a second, so this costs no query per
 * request. Needed since ledger rows open on the wire: a request queued for a slot used to be
 * counted already; now it would be sent after the cancel.
 */
export function haltGateHook(gate: CampaignGate, campaignId: string): SendHook {
  return {
    around: async (send) => {
      const state = await gate.state(campaignId);
      if (!state || HALTED_STATUSES.has(state.status)) {
        throw new CampaignHaltedError(campaignId, state?.status ?? 'missing', `campaign ${campaignId} is ${state?.status ?? 'gone'}: request not sent`);
      }
      return send();
    },
  };
}
