import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const READ = `
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
const rows = [];
for (const path of process.argv.slice(1)) rows.push(await parquetReadObjects({ file: await asyncBufferFromFile(path) }));
process.stdout.write(JSON.stringify(rows));
`;

/**
 * The rows of Parquet files, file by file, as hyparquet reads them. hyparquet is an ES module, which jest's module
 * sandbox cannot import, so a plain Node process reads it (from the repository root, where it
 * resolves).
 */
export function readParquetRows(files: readonly string[]): Promise<Record<string, unknown>[][]> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', READ, ...files],
      { cwd: resolve(__dirname, '../..'), maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? fail(new Error(`reading ${files.join(', ')}: ${stderr || error.message}`)) : done(JSON.parse(stdout) as Record<string, unknown>[][])),
    );
  });
}
