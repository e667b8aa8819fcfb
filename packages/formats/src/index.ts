export { readPool } from './read-pool';
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
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportRow,
  type AlpacaExportRow,
  type SharegptExportRow,
  type OpenaiExportRow,
} from './export/export-row';
export { JsonlWriter } from './export/jsonl-writer';
export { llamaFactoryDatasetInfo, type LlamaFactoryDataset } from './export/dataset-info';
export { readExportFile, type ExportedRow } from './export/read-export-file';
export { exportRowId, parseExportRowId, type RowIdParts } from './export/row-id';
export { trainingOutput, type TrainingOutput, type TrainingOutputSource } from './export/training-output';
export {
  lineageRecord,
  lineageJudgeOrders,
  type LineageRecord,
  type LineageAnswer,
  type LineageJudgeOrder,
  type StoredJudgeOrder,
} from './export/lineage-record';
export { readSource, resolveSourceFiles, type SourceEvent, type SourceFiles } from './read-source';
export { chooseSplitShards, splitOfShard, isShardFile, KNOWN_SPLITS, DEFAULT_SPLIT, type SplitChoice } from './dataset-split';
export { MAPPABLE_FIELDS, applyColumnMapping, type ColumnMapping, type MappableField } from './column-mapping';
export { fileKindOf, fileKindFromName, type FileKind } from './file-kind';
