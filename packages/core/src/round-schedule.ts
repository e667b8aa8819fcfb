import type { CampaignConfig } from './config-schema';

/** The parts of a campaign config that decide the hard share of a round. */
export interface RoundScheduleConfig {
  selection: Pick<CampaignConfig['selection'], 'easyShare'>;
  rounds: { hardShare: readonly number[] };
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
