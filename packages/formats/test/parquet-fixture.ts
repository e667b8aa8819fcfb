/** Writes Parquet test files with hyparquet-writer (ESM-only; jest transpiles it, see jest.config.js). */
export async function writeParquet(filename: string, columns: Record<string, (string | null)[]>, rowGroupSize: number): Promise<void> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  parquetWriteFile({
    filename,
    columnData: Object.entries(columns).map(([name, data]) => ({ name, data, type: 'STRING' as const, nullable: true })),
    rowGroupSize,
  });
}
