import { fmix32 } from './hash32';

/**
 * A frozen map from 32-bit hash to a list of small integers, in typed arrays: an open-addressing
 * table of keys and one flat array of values. Decontamination looks up a few windows of every
 * pool row; a Map keyed by hashes above 2^30 (heap numbers, not small integers) and an array per
 * key cost more than the rest of the check.
 */
export class HashLists {
  private readonly keys: Uint32Array;
  /** Start of the slot's values + 1; 0 is an empty slot. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  readonly values: Int32Array;
  readonly size: number;

  /** `lists` in the order each key's values should be read back. */
  constructor(lists: ReadonlyMap<number, readonly number[]>) {
    let capacity = 16;
    while (capacity < lists.size * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    let total = 0;
    for (const list of lists.values()) total += list.length;
    this.values = new Int32Array(total);
    this.size = lists.size;
    const mask = capacity - 1;
    let used = 0;
    for (const [key, list] of lists) {
      let slot = fmix32(key) & mask;
      while (this.starts[slot] !== 0) slot = (slot + 1) & mask;
      this.keys[slot] = key;
      this.starts[slot] = used + 1;
      this.values.set(list, used);
      used += list.length;
      this.ends[slot] = used;
    }
  }

  /** The slot holding the key, or -1; its values are values[start(slot)..end(slot)). */
  find(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = fmix32(key) & mask; ; slot = (slot + 1) & mask) {
      const start = this.starts[slot]!;
      if (start === 0) return -1;
      if (this.keys[slot] === key >>> 0) return slot;
    }
  }

  start(slot: number): number {
    return this.starts[slot]! - 1;
  }

  end(slot: number): number {
    return this.ends[slot]!;
  }
}
