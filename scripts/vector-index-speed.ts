/**
 * How fast exact semantic dedup is (packages/core/src/vector-index.ts): n random 384-dimension
 * vectors, none within the threshold of another, so every item is kept and compared with every
 * kept one before it, the worst case (n^2/2 dot products). Usage:
 *   npx tsx scripts/vector-index-speed.ts [n=5000] [dimensions=384]
 * Prints one JSON line; figures go in docs/benchmarks.md.
 */
import { createRng, semanticDuplicates } from '../packages/core/src';

const n = Number(process.argv[2] ?? 5000);
const d = Number(process.argv[3] ?? 384);
const rng = createRng(1);
const candidates = Array.from({ length: n }, (_, i) => ({ vector: Float32Array.from({ length: d }, () => rng.next() * 2 - 1), hasAnswer: false, importOrder: i }));
const started = performance.now();
const dropped = semanticDuplicates(candidates, 0.9);
const ms = performance.now() - started;
const multiplyAdds = ((n * (n - 1)) / 2) * d;
process.stdout.write(
  JSON.stringify({ n, dimensions: d, ms: Math.round(ms), dropped: dropped.size, multiplyAddsPerSecond: Number((multiplyAdds / (ms / 1000)).toExponential(2)), rssMB: Math.round(process.memoryUsage().rss / 1e6) }) + '\n',
);
