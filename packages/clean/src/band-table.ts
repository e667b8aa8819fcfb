import { fmix32 } from './hash32';

/** Slots filled at most to this share before the table grows; linear probing stays short below it. */
const MAX_LOAD = 0.75;
/** Growth factor: 1.5 rather than 2 keeps a table that just grew from being mostly empty (memory is issue 15's other bound). */
const GROWTH = 1.5;
const INITIAL_SLOTS = 4096;

/**
 * One LSH band's table: 32-bit key -> the newest row holding it (older rows follow in the
 * index's chain links). Open addressing with linear probing over [key, row + 1] pairs side by side,
 * so a lookup reads one cache line; any number of slots, a key placed by the high bits of its hash
 * scaled to the table (Lemire's multiply-shift), so the table can grow by half instead of doubling.
 */
export class BandTable {
  /** Slot i is [key, row + 1] at 2i, 2i + 1; row + 1 = 0 marks an empty slot. */
  private slots = new Int32Array(2 * INITIAL_SLOTS);
  private capacity = INITIAL_SLOTS;
  private used = 0;

  get size(): number {
    return this.used;
  }

  head(key: number): number {
    const { slots, capacity } = this;
    const k = key | 0;
    for (let slot = home(key, capacity); ; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const h = slots[2 * slot + 1]!;
      if (h === 0) return -1;
      if (slots[2 * slot] === k) return h - 1;
    }
  }

  /** Makes `row` the newest holder of `key`; returns the row it displaced (-1 for none). */
  insert(key: number, row: number): number {
    if (this.used + 1 > this.capacity * MAX_LOAD) this.grow();
    const { slots, capacity } = this;
    const k = key | 0;
    let slot = home(key, capacity);
    while (slots[2 * slot + 1] !== 0 && slots[2 * slot] !== k) slot = slot + 1 === capacity ? 0 : slot + 1;
    const previous = slots[2 * slot + 1]! - 1;
    if (previous < 0) {
      this.used++;
      slots[2 * slot] = k;
    }
    slots[2 * slot + 1] = row + 1;
    return previous;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.slots = new Int32Array(2 * this.capacity);
    const { slots, capacity } = this;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let slot = home(old[i]!, capacity);
      while (slots[2 * slot + 1] !== 0) slot = slot + 1 === capacity ? 0 : slot + 1;
      slots[2 * slot] = old[i]!;
      slots[2 * slot + 1] = old[i + 1]!;
    }
  }
}

/** The key's first slot: the top 21 bits of its hash scaled to the capacity (exact in doubles up to 2^32 slots). */
function home(key: number, capacity: number): number {
  return (((fmix32(key >>> 0) >>> 11) * capacity) / 2097152) | 0;
}
