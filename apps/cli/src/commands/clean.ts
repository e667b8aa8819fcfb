import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cleanFiles, type CleanFilesReport } from '@tapir/clean';
import { loadConfigFile } from '../config-file';

export interface CleanCommandOptions {
  config: string;
  data: string[];
  out: string;
  threads?: number;
}

function summary(report: CleanFilesReport, out: string): string {
  const reasons = Object.entries(report.droppedByReason)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `  ${reason.padEnd(20)} ${n}`);
  const benchmarks = Object.entries(report.contaminatedByBenchmark).map(([name, n]) => `  contaminated by ${name}: ${n}`);
  return [
    `read ${report.rows} rows from ${report.files.length} file(s) in ${(report.timings.totalMs / 1000).toFixed(1)} s (${report.timings.rowsPerSecond} rows/s, ${report.threads} analysis thread(s))`,
    `kept ${report.kept}, dropped ${report.dropped}`,
    ...reasons,
    ...benchmarks,
    `wrote ${join(out, 'kept.jsonl')}, ${join(out, 'dropped.jsonl')}, ${join(out, 'report.json')}`,
  ].join('\n');
}

/**
 * `tapir clean`: the campaign's `clean:` rules on pool files, without a campaign or a queue.
 * Relative benchmark and word-list paths in the config are read from the config file's folder.
 */
export async function cleanCommand(opts: CleanCommandOptions): Promise<void> {
  const config = await loadConfigFile(opts.config);
  const report = await cleanFiles({
    config: config.clean,
    dataFiles: opts.data,
    outDir: opts.out,
    maxRowBytes: config.import.maxRowBytes,
    baseDir: dirname(opts.config),
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
  });
  await writeFile(join(opts.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(summary(report, opts.out) + '\n');
}
