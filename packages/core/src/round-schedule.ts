import type { CampaignConfig } from './config-schema';

/** The parts of a campaign config that decide the hard share of a round. */
export interface RoundScheduleConfig {
  selection: Pick<CampaignConfig['selection'], 'easyShare'>;
  rounds: { hardShare: readonly number[] };
}

/** The parts of a campaign config that decide the size of a round. */
export interface RoundSizeConfig {
  rounds: { targetSize?: number | readonly number[] | undefined };
  rebalance: { targetSize?: number | undefined };
}

/**
 * Rows wanted in round `round` (1-based), or undefined when none is configured (the planner then
 * uses the round's selection, never less than the round before). rounds.targetSize gives one
 * number for every round or one per round, its last value repeating; rebalance.targetSize, the
 * older spelling of one size for every round, still works (the config refuses both at once).
 */
export function targetSizeForRound(config: RoundSizeConfig, round: number): number | undefined {
  if (!Number.isInteger(round) || round < 1) throw new RangeError(`targetSizeForRound: round must be an integer >= 1, got ${round}`);
  const sizes = config.rounds.targetSize;
  if (sizes === undefined) return config.rebalance.targetSize;
  if (typeof sizes === 'number') return sizes;
  const size = sizes[Math.min(round, sizes.length) - 1];
  if (size === undefined) throw new RangeError('targetSizeForRound: rounds.targetSize is empty');
  return size;
}

/**
 * Share of hard items in round `round` (1-based). A user who set selection.easyShare asked for a
 * fixed mix, so it wins over the schedule in every round; otherwise rounds.hardShare gives one
 * value per round and its last value repeats, so a schedule shorter than rounds.count (or a round
 * beyond it) still has a defined share.
 */
export function hardShareForRound(config: RoundScheduleConfig, round: number): number {
  if (!Number.isInteger(round) || round < 1) throw new RangeError(`hardShareForRound: round must be an integer >= 1, got ${round}`);
  const { easyShare } = config.selection;
  if (easyShare !== undefined) return 1 - easyShare;
  const schedule = config.rounds.hardShare;
  const share = schedule[Math.min(round, schedule.length) - 1];
  if (share === undefined) throw new RangeError('hardShareForRound: rounds.hardShare is empty');
  return share;
}
