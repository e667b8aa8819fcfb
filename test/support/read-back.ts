import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportManifest } from '@tapir/pipeline';

/** One exported row as the alpaca stage files hold it. */
export interface ExportedRow {
  instruction: string;
  input: string;
  category: string;
  mfd?: number;
}

/** What an alpaca export directory holds, read back from its files, not from the database. */
export interface ReadBack {
  manifest: ExportManifest;
  stages: { rows: ExportedRow[]; hard: number }[];
  rows: number;
  /** Rows with MFD >= delta: hard, as the demo and the planner count them. */
  hard: number;
  share: number;
}

export async function readExportBack(dir: string, delta: number): Promise<ReadBack> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
  const stages: ReadBack['stages'] = [];
  for (const stage of manifest.stages) {
    const text = await readFile(join(dir, stage.file), 'utf8');
    const rows = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ExportedRow);
    stages.push({ rows, hard: rows.filter((r) => r.mfd !== undefined && r.mfd >= delta).length });
  }
  const rows = stages.reduce((s, x) => s + x.rows.length, 0);
  const hard = stages.reduce((s, x) => s + x.hard, 0);
  return { manifest, stages, rows, hard, share: rows === 0 ? 0 : hard / rows };
}
