/**
 * Which signal decides that an item is hard: the judge's Model Fitting Difficulty (mfd), the
 * student's Instruction-Following Difficulty from its own log-probabilities (ifd), or both.
 */
export const DIFFICULTY_SIGNALS = ['mfd', 'ifd', 'both'] as const;
export type DifficultySignal = (typeof DIFFICULTY_SIGNALS)[number];

/** With signal "both": hard when both signals say hard (and) or when either does (or). */
export const DIFFICULTY_COMBINES = ['and', 'or'] as const;
export type DifficultyCombine = (typeof DIFFICULTY_COMBINES)[number];

export interface DifficultyOptions {
  signal: DifficultySignal;
  combine: DifficultyCombine;
  /** Hard when mfd >= mfdDelta (Lion: 1; config selection.delta). */
  mfdDelta: number;
  /** Hard when ifd >= ifdDelta. */
  ifdDelta: number;
  /** IFD above this is unusable: the instruction makes the answer harder to predict, not easier. */
  ifdMax: number;
}

export interface DifficultySignals {
  mfd: number | null;
  ifd: number | null;
}

export type UnusableReason = 'no mfd' | 'no ifd' | 'mfd not finite' | 'ifd above max';

export interface DifficultyClass {
  /** False when the item cannot be classified; it then takes no part in selection. */
  usable: boolean;
  hard: boolean;
  /** The value staging sorts by (easy to hard); 0 when the item is unusable. */
  difficulty: number;
  reason?: UnusableReason;
}

const unusable = (reason: UnusableReason): DifficultyClass => ({ usable: false, hard: false, difficulty: 0, reason });

/** Why an IFD cannot be used, or null when it can. */
function ifdProblem(ifd: number | null, ifdMax: number): UnusableReason | null {
  if (ifd === null) return 'no ifd';
  // Cherry LLM drops IFD > 1: there the instruction does not help the student predict the answer,
  // so the pair is misaligned rather than difficult. A non-finite IFD is treated the same way.
  if (!Number.isFinite(ifd) || ifd > ifdMax) return 'ifd above max';
  return null;
}

function mfdProblem(mfd: number | null): UnusableReason | null {
  if (mfd === null) return 'no mfd';
  if (!Number.isFinite(mfd)) return 'mfd not finite';
  return null;
}

function validateOptions(opts: DifficultyOptions): void {
  for (const key of ['mfdDelta', 'ifdDelta', 'ifdMax'] as const) {
    if (!Number.isFinite(opts[key])) throw new RangeError(`classifyDifficulty: ${key} must be a finite number, got ${opts[key]}`);
  }
  if (!DIFFICULTY_SIGNALS.includes(opts.signal)) throw new RangeError(`classifyDifficulty: unknown signal "${String(opts.signal)}"`);
  if (!DIFFICULTY_COMBINES.includes(opts.combine)) throw new RangeError(`classifyDifficulty: unknown combine "${String(opts.combine)}"`);
}

/**
 * Decides whether an item is hard under the configured signal (docs/method.md, steps 4 to 6).
 * With signal "both" the difficulty used for staging is the MFD: it keeps the judge's scale,
 * which is what orders the curriculum in every other mode, and mixing two scales (score points
 * and a likelihood ratio) into one number would have no meaning.
 */
export function classifyDifficulty(item: DifficultySignals, opts: DifficultyOptions): DifficultyClass {
  validateOptions(opts);
  const { mfd, ifd } = item;
  switch (opts.signal) {
    case 'mfd': {
      const problem = mfdProblem(mfd);
      if (problem !== null || mfd === null) return unusable(problem ?? 'no mfd');
      return { usable: true, hard: mfd >= opts.mfdDelta, difficulty: mfd };
    }
    case 'ifd': {
      const problem = ifdProblem(ifd, opts.ifdMax);
      if (problem !== null || ifd === null) return unusable(problem ?? 'no ifd');
      return { usable: true, hard: ifd >= opts.ifdDelta, difficulty: ifd };
    }
    case 'both': {
      const problem = mfdProblem(mfd) ?? ifdProblem(ifd, opts.ifdMax);
      if (problem !== null || mfd === null || ifd === null) return unusable(problem ?? 'no mfd');
      const mfdHard = mfd >= opts.mfdDelta;
      const ifdHard = ifd >= opts.ifdDelta;
      return { usable: true, hard: opts.combine === 'and' ? mfdHard && ifdHard : mfdHard || ifdHard, difficulty: mfd };
    }
  }
}
