/**
 * Preloaded (`node -r`) into child `tapir` processes the benchmark measures: on exit it writes
 * the process's peak resident set (VmHWM, kB) to BENCH_HWM_FILE, so the peak is exact even when
 * it happens between two samples of the parent's /proc poll.
 *
 * With BENCH_MEM_TRACE=<file>, it also appends one JSON line per second with the process's
 * memory split (RSS, V8 heap used and total, external and array buffers), to see whether a peak
 * is live objects, garbage awaiting collection, or buffers outside the heap.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

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

const trace = process.env.BENCH_MEM_TRACE;
if (trace) {
  const mb = (n: number) => Math.round(n / 104857.6) / 10;
  setInterval(() => {
    const m = process.memoryUsage();
    const line = { t: Date.now(), pid: process.pid, rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
    try {
      appendFileSync(trace, JSON.stringify(line) + '\n');
    } catch {
      // a diagnostic: never disturb the process measured
    }
  }, 1000).unref();
}
