export { readPool, readPoolBatches } from './read-pool';
export { readParquet, readParquetBatches } from './read-parquet';
export { DEFAULT_SLICE_POLICY, type SlicePolicy } from './parquet-row-slices';
export { PoolFileError } from './pool-file-error';
export { detectFormat, SUPPORTED_FORMATS_HELP } from './detect-format';
export { collectRowFields, type RowFields, type FieldName, type FoundField } from './row-fields';
export {
  POOL_FORMATS,
  DEFAULT_MAX_ROW_BYTES,
  MAX_ROW_DEPTH,
  DEFAULT_CHUNK_BYTES,
  type PoolFormat,
  type PoolRecord,
  type ImportEvent,
  type ReadPoolOptions,
} from './pool-types';
export { loadAnswerIndex, type AnswerIndex } from './answer-join';
export {
  formatExportRow,
  bareOpenaiRow,
  EXPORT_FORMATS,
  type BareOpenaiExportRow,
  type ExportFormat,
  type ExportRow,
  type FollowUpExchange,
  type AlpacaExportRow,
  type SharegptExportRow,
  type OpenaiExportRow,
} from './export/export-row';
export { JsonlWriter } from './export/jsonl-writer';
export { llamaFactoryDatasetInfo, type LlamaFactoryDataset } from './export/dataset-info';
export { readExportFile, readBareExportFile, type ExportedRow, type BareExportedRow } from './export/read-export-file';
export { CHECKED_AGAINST, type TrainerHandoff, type HandoffStage } from './export/trainer-handoff';
export { MUST_SET } from './export/commented-yaml';
export { llamaFactoryConfig, LLAMAFACTORY_CONFIG_FILE } from './export/llamafactory-config';
export { axolotlConfig, axolotlDatasetType, AXOLOTL_CONFIG_FILE, type AxolotlDataset } from './export/axolotl-config';
export { datasetCard, datasetCardMetadata, cardSplits, stageSplitName, DATASET_CARD_FILE, type DatasetCardFacts, type CardSplit, type CardStage, type CardRound } from './export/dataset-card';
export { parquetLayout, parquetRecord, scoreColumns, type ParquetLayout, type ScoreColumn } from './export/parquet-layout';
export { writeParquetStages, parquetFileName } from './export/parquet-stage';
export { exportRowId, parseExportRowId, type RowIdParts } from './export/row-id';
export { trainingOutput, type TrainingOutput, type TrainingOutputSource } from './export/training-output';
export {
  lineageRecord,
  lineageJudgeOrders,
  type LineageRecord,
  type LineageAnswer,
  type LineageSynthesis,
  type LineageJudgeOrder,
  type StoredJudgeOrder,
} from './export/lineage-record';
export { readSource, readSourceBatches, resolveSourceFiles, type SourceEvent, type SourceEventBatch, type SourceFiles } from './read-source';
export { chooseSplitShards, splitOfShard, isShardFile, KNOWN_SPLITS, DEFAULT_SPLIT, type SplitChoice } from './dataset-split';
export { MAPPABLE_FIELDS, applyColumnMapping, type ColumnMapping, type MappableField } from './column-mapping';
export { fileKindOf, fileKindFromName, type FileKind } from './file-kind';
