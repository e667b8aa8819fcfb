/** What identifies one exported row: the same plan row always gets the same id. */
export interface RowIdParts {
  campaignId: string;
  round: number;
  stage: number;
  /** The item's normalised-content key (instructionKey), not its database serial. */
  itemKey: string;
  /** 0 for an item's first copy in the round, 1.. for its up-sampled repeats. */
  repeatIndex: number;
}

const ROW_ID = /^([^:]+):r([1-9]\d*):s([1-9]\d*):([0-9a-f]+):(0|[1-9]\d*)$/;

/**
 * `<campaign>:r<round>:s<stage>:<item key>:<repeat>`. Every part comes from the plan row's own
 * identity, none from a serial or the order rows were written in: an item expanded in one run
 * can be inserted before or after another depending on which request returned first, but its
 * key (a hash of its text) is the same; and a round planned again (`retry-failed`) keeps the
 * ids of the rows it keeps. Readable on purpose: a user holding a row sees its round, stage and
 * repeat without the lineage file.
 */
export function exportRowId(parts: RowIdParts): string {
  const { campaignId, round, stage, itemKey, repeatIndex } = parts;
  if (campaignId === '' || campaignId.includes(':')) throw new RangeError(`exportRowId: campaign id must be non-empty without ':', got ${JSON.stringify(campaignId)}`);
  if (!/^[0-9a-f]+$/.test(itemKey)) throw new RangeError(`exportRowId: item key must be lowercase hex, got ${JSON.stringify(itemKey)}`);
  for (const [name, value, min] of [['round', round, 1], ['stage', stage, 1], ['repeatIndex', repeatIndex, 0]] as const) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`exportRowId: ${name} must be an integer >= ${min}, got ${value}`);
  }
  return `${campaignId}:r${round}:s${stage}:${itemKey}:${repeatIndex}`;
}

/** The parts of a row id, or null when the text is not one. */
export function parseExportRowId(id: string): RowIdParts | null {
  const m = ROW_ID.exec(id);
  if (!m) return null;
  return { campaignId: m[1]!, round: Number(m[2]), stage: Number(m[3]), itemKey: m[4]!, repeatIndex: Number(m[5]) };
}
