export * from './breaker-machine';
export * from './breaker-policy';
export { EndpointBreaker, type EndpointBreakerOptions } from './endpoint-breaker';
