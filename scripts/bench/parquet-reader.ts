/**
 * The Parquet reader alone, in-process, no database (issue 16): rows per CPU-second and peak RSS
 * of `readParquet` over scenario 8's file, in windows (the default policy, mode `sliced`) and whole row groups (what
 * the reader did before), each in its own child process so one's heap does not pollute the other's
 * VmHWM. CPU time, not wall time: the machine is shared.
 *
 *   node dist-bench/parquet-reader.js [rows=1000000] [rowsPerGroup=100000]
 *
 * BENCH_SLICE_MB sets the sliced reader's budget (default: the reader's, 2 MB).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DEFAULT_SLICE_POLICY, readParquet } from '@tapir/formats';
import { writeParquetPool } from './scenario-8-parquet-import';
import { removePool } from './env';

async function readOnce(file: string, mode: 'sliced' | 'whole-groups'): Promise<void> {
  const sliced = process.env.BENCH_SLICE_MB ? { ...DEFAULT_SLICE_POLICY, sliceBytes: Number(process.env.BENCH_SLICE_MB) * 2 ** 20 } : DEFAULT_SLICE_POLICY;
  const policy = mode === 'sliced' ? sliced : { sliceBytes: Number.POSITIVE_INFINITY, minSliceRows: 0 };
  const cpu0 = process.cpuUsage();
  let rows = 0;
  let errors = 0;
  for await (const event of readParquet(file, {}, policy)) {
    rows++;
    if (event.kind === 'error') errors++;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
  process.stdout.write(`${JSON.stringify({ mode, rows, errors, cpuSeconds: +cpuSeconds.toFixed(2), rowsPerCpuSecond: Math.round(rows / cpuSeconds), peakRssMb: +(hwmKb / 1024).toFixed(1) })}\n`);
}

async function main(): Promise<void> {
  const [arg, mode] = process.argv.slice(2);
  if (mode === 'sliced' || mode === 'whole-groups') return readOnce(arg!, mode);
  const n = Number(arg ?? 1_000_000);
  const file = await writeParquetPool(n, 'reader', Number(mode ?? 100_000));
  try {
    for (const m of ['sliced', 'whole-groups']) {
      const child = spawnSync(process.execPath, [__filename, file, m], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (child.status !== 0) throw new Error(`reader child (${m}) exited ${child.status}`);
      process.stdout.write(child.stdout);
    }
  } finally {
    await removePool(file);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
