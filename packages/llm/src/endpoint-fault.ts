import type { LlmErrorKind } from './llm-error';

/**
 * What an error says about the endpoint rather than about the request that met it:
 * - `unreachable`: no server took the request (refused, reset, DNS); the request cannot be the cause.
 * - `failing`: a server took it and did not answer it (5xx, 408/409, a timeout). Usually the
 *   endpoint; sometimes one request (a prompt that always makes the server time out).
 * - `throttled`: a 429; the endpoint is up and asks for time (the rate limiter's business).
 * - `refusing`: the endpoint will refuse every request of this role until a person acts (a revoked
 *   or missing key, no quota left, a model the endpoint does not serve).
 * - `none`: the request's own problem (400, context length, a reply we could not parse).
 */
export type EndpointFault = 'unreachable' | 'failing' | 'throttled' | 'refusing' | 'none';

const FAULT_OF_KIND: Record<LlmErrorKind, EndpointFault> = {
  connection: 'unreachable',
  timeout: 'failing',
  server: 'failing',
  rate_limit: 'throttled',
  auth: 'refusing',
  missing_api_key: 'refusing',
  quota: 'refusing',
  not_found: 'refusing',
  bad_request: 'none',
  context_length: 'none',
  unknown: 'none',
};

export function endpointFaultOf(kind: LlmErrorKind): EndpointFault {
  return FAULT_OF_KIND[kind];
}

/** Errors that count towards opening the endpoint's circuit breaker. */
export function isOutageFault(fault: EndpointFault): boolean {
  return fault === 'unreachable' || fault === 'failing';
}

/** Any HTTP reply that is not itself an outage (a 429, a 400, a 401) proves a server is there. */
export function provesEndpointUp(fault: EndpointFault, status: number | undefined): boolean {
  return status !== undefined && !isOutageFault(fault);
}
