/**
 * The readers hand out rows in batches (one read chunk, one Parquet column window): every
 * `yield` of an async generator costs promises and microtask hops, and a row passing through
 * four nested generators paid that four times, about a quarter of a Parquet import's CPU at a
 * million rows. A batch pays it once per few thousand rows. `eachOf` gives the old row-at-a-time
 * view to callers that want it, in the same order.
 */
export async function* eachOf<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
