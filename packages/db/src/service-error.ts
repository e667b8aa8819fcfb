import { TapirError, type RetryAdvice } from '@tapir/core';

/**
 * What a backing service being out of reach means for a job: it comes back in a few seconds
 * without spending an attempt (a restart of PostgreSQL must not fail items). Raw driver and
 * network errors (see isConnectionError) cannot carry flags, so this is their advice too.
 */
export const SERVICE_UNREACHABLE: RetryAdvice = { retryable: true, postpone: { afterMs: 2000, jitterMs: 3000 } };

/**
 * A backing service (PostgreSQL, Redis) cannot be reached. The CLI prints `message` as is and
 * exits 1: it says which service, where it was looked for and how to start it.
 */
export class ServiceUnavailableError extends TapirError {
  constructor(
    readonly service: 'PostgreSQL' | 'Redis',
    readonly where: string,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const hint =
      service === 'PostgreSQL'
        ? 'Start it with `docker compose up -d postgres` (from the tapir checkout) or your local service ' +
          '(e.g. `pg_ctlcluster <version> main start`), or point DATABASE_URL at a running server.'
        : 'Start it with `docker compose up -d redis` (from the tapir checkout) or `redis-server --daemonize yes`, ' +
          'or point REDIS_URL at a running server.';
    super(`${service} is not reachable at ${where}: ${reason}\n${hint}`, SERVICE_UNREACHABLE);
    this.name = 'ServiceUnavailableError';
  }
}

/** Hides a password in a connection URL so it can be printed or logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
