import type { CampaignConfig } from '@tapir/core';

/** Which difficulty measurements an item needs each round, from `difficulty.signal`. */
export interface SignalNeeds {
  /** Student answer and the referee's swapped-order judgement (MFD). */
  mfd: boolean;
  /** The student's prompt log-probabilities of the teacher's answer (IFD); no judge, no student answer. */
  ifd: boolean;
}

export function signalNeeds(config: { difficulty: Pick<CampaignConfig['difficulty'], 'signal'> }): SignalNeeds {
  const signal = config.difficulty.signal;
  return { mfd: signal !== 'ifd', ifd: signal !== 'mfd' };
}
