import { resolve } from 'node:path';
import type { ExportFormat } from '@tapir/formats';
import { exportCampaign } from '@tapir/pipeline';
import { withDatabase } from '../database';

export async function exportCommand(
  campaignId: string,
  opts: { out: string; format: ExportFormat; round?: number; bare?: boolean; parquet?: boolean },
): Promise<void> {
  const { manifest, files } = await withDatabase((database) =>
    exportCampaign(database.db, {
      campaignId,
      outDir: resolve(opts.out),
      format: opts.format,
      ...(opts.round ? { round: opts.round } : {}),
      bare: opts.bare ?? false,
      parquet: opts.parquet ?? false,
    }),
  );
  process.stdout.write(`exported campaign ${campaignId} round ${manifest.round} (${manifest.format}), ${manifest.totalRows} rows:\n`);
  for (const stage of manifest.stages) {
    process.stdout.write(`  ${stage.file}  ${stage.count} rows  MFD ${stage.mfd.min ?? '-'}..${stage.mfd.max ?? '-'} (mean ${stage.mfd.mean ?? '-'})\n`);
  }
  for (const f of files) process.stdout.write(`  ${f}\n`);
}
