export { EndpointRateLimiter, type EndpointRateLimiterOptions } from './endpoint-rate-limiter';
export { endpointKey, normalizeEndpointBaseUrl } from './endpoint-key';
export type { AcquireResult, EndpointLimits, EndpointRateState, RateLimitWaits } from './types';
export * as rateLimitPolicy from './policy';
