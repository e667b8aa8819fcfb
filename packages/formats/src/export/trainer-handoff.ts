import type { ExportFormat } from './export-row';

/** One stage of an export, as a trainer's config names it. */
export interface HandoffStage {
  stage: number;
  /** The stage file's name inside the export directory (stage-K.jsonl). */
  file: string;
  rows: number;
  /** Its entry in dataset_info.json, which LLaMA-Factory's `dataset` key names. */
  datasetName: string;
}

/** What the trainer configs and the dataset card are written from: one exported round. */
export interface TrainerHandoff {
  /** Absolute: trainers resolve relative paths against the directory they are started in. */
  exportDir: string;
  format: ExportFormat;
  /** OpenAI rows with only `messages` (`--bare`). */
  bare: boolean;
  studentModel: string;
  campaignId: string;
  round: number;
  /** In curriculum order, easy to hard. */
  stages: HandoffStage[];
}

/** The trainer versions whose source the configs were checked against (README, "Training stage after stage"). */
export const CHECKED_AGAINST = {
  llamaFactory: 'LLaMA-Factory 0.9.6.dev0 (commit ff6d4d1, 2026-08-18)',
  axolotl: 'axolotl 0.18.0 (commit 067b021, 2026-07-24)',
} as const;

/** The stages a trainer can load: an empty stage file has no rows to train on, and some loaders reject an empty JSON file. */
export function trainableStages(handoff: TrainerHandoff): HandoffStage[] {
  return handoff.stages.filter((s) => s.rows > 0);
}

export function runName(handoff: TrainerHandoff): string {
  return `tapir-${handoff.campaignId}-round-${handoff.round}`;
}
