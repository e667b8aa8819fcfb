/**
 * Preloaded (`node -r`) into child `tapir` processes the benchmark measures: on exit it writes
 * the process's peak resident set (VmHWM, kB) to BENCH_HWM_FILE, so the peak is exact even when
 * it happens between two samples of the parent's /proc poll.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.BENCH_HWM_FILE;
if (out) {
  process.on('exit', () => {
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) writeFileSync(out, m[1]!);
    } catch {
      // best effort: the parent also samples /proc/<pid>/status
    }
  });
}
