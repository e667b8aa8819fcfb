import { isIP } from 'node:net';

/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice('::ffff:'.length));
  return false;
}

export interface BindDecision {
  /** Whether every request (pages, API, /metrics, /queues) must carry the token. */
  tokenForReads: boolean;
  /** Whether pause, resume and cancel are possible at all (they always need the token). */
  actionsEnabled: boolean;
}

/**
 * On loopback anyone on the machine may look, and actions need the token if one is set (none:
 * actions are off). Bound anywhere else, the dashboard refuses to start without a token, and
 * then asks for it on every request: campaign data and controls are not for the network at large.
 */
export function bindPolicy(host: string, token: string | undefined): BindDecision | { refused: string } {
  const hasToken = token !== undefined && token !== '';
  if (isLoopbackHost(host)) return { tokenForReads: false, actionsEnabled: hasToken };
  if (!hasToken) {
    return {
      refused: `--host ${host} is not a loopback address: a token is required (--token T or TAPIR_DASHBOARD_TOKEN), or bind to 127.0.0.1`,
    };
  }
  return { tokenForReads: true, actionsEnabled: true };
}
