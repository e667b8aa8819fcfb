/** When a campaign's progress last changed, as the watchdog remembers it (shared by every worker). */
export interface StallMark {
  fingerprint: string;
  /** Since when (ms, on the shared clock) the fingerprint has been the same. */
  since: number;
}

export interface StallVerdict {
  next: StallMark;
  reconcile: boolean;
}

/**
 * Whether a campaign whose progress now reads `fingerprint` has stood still for the stall window.
 * A reconcile restarts the window, so a campaign that stays stuck is reconciled once per window,
 * not once per look.
 */
export function stallVerdict(previous: StallMark | undefined, fingerprint: string, now: number, stallMs: number): StallVerdict {
  if (!previous || previous.fingerprint !== fingerprint || now < previous.since) return { next: { fingerprint, since: now }, reconcile: false };
  if (now - previous.since >= stallMs) return { next: { fingerprint, since: now }, reconcile: true };
  return { next: previous, reconcile: false };
}
