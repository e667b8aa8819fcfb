import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AXOLOTL_CONFIG_FILE,
  axolotlConfig,
  cardSplits,
  DATASET_CARD_FILE,
  datasetCard,
  LLAMAFACTORY_CONFIG_FILE,
  llamaFactoryConfig,
  parquetFileName,
  type DatasetCardFacts,
  type TrainerHandoff,
} from '@tapir/formats';
import { writeFileAtomically, type ManifestFile } from './write-file-atomically';

/** The handoff files of an export, by name, as the manifest records them. */
export interface HandoffFiles {
  /** Null when the round exported no rows: there is nothing to train on. */
  llamaFactory: string | null;
  axolotl: string | null;
  datasetCard: string;
  /** The files the dataset card's splits read: the Parquet copies when written, else the JSONL stage files. */
  cardDataFiles: 'jsonl' | 'parquet';
}

/**
 * Writes what hands a round to a trainer: llamafactory.yaml, axolotl.yaml and the Hugging Face
 * dataset card (README.md). Each split of the card is read from one file only: the Parquet copy
 * when there is one (typed columns, no schema inference, what the Hub's viewer reads fastest),
 * else the JSONL stage file; listing both would put every row in its split twice.
 */
export async function writeTrainerHandoff(
  handoff: TrainerHandoff,
  facts: DatasetCardFacts,
  parquet: boolean,
): Promise<{ files: HandoffFiles; written: Record<string, ManifestFile> }> {
  const written: Record<string, ManifestFile> = {};
  const hasRows = handoff.stages.some((s) => s.rows > 0);
  if (hasRows) {
    written[LLAMAFACTORY_CONFIG_FILE] = await writeFileAtomically(join(handoff.exportDir, LLAMAFACTORY_CONFIG_FILE), llamaFactoryConfig(handoff));
    written[AXOLOTL_CONFIG_FILE] = await writeFileAtomically(join(handoff.exportDir, AXOLOTL_CONFIG_FILE), axolotlConfig(handoff));
  } else {
    // Configs left by an earlier export of this folder would train on stage files that are now empty.
    for (const name of [LLAMAFACTORY_CONFIG_FILE, AXOLOTL_CONFIG_FILE]) await unlink(join(handoff.exportDir, name)).catch(() => undefined);
  }
  const fileOf = new Map(handoff.stages.map((s) => [s.stage, parquet ? parquetFileName(s.file) : s.file]));
  const splits = cardSplits(
    handoff.stages.map((s) => ({ stage: s.stage, count: s.rows })),
    (stage) => fileOf.get(stage)!,
  );
  written[DATASET_CARD_FILE] = await writeFileAtomically(join(handoff.exportDir, DATASET_CARD_FILE), datasetCard(facts, splits));
  return {
    files: {
      llamaFactory: hasRows ? LLAMAFACTORY_CONFIG_FILE : null,
      axolotl: hasRows ? AXOLOTL_CONFIG_FILE : null,
      datasetCard: DATASET_CARD_FILE,
      cardDataFiles: parquet ? 'parquet' : 'jsonl',
    },
    written,
  };
}
