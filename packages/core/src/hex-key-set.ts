const KEY_CHARS = 32;
const WORDS = 4;

/**
 * An exact set of 128-bit keys written as 32 lowercase hex characters (the form of
 * `instructionKey`), at 16 bytes per slot in typed arrays. An import de-duplicates a whole pool
 * with it before rows reach PostgreSQL: a million keys take 32 MB here, where a Set of the key
 * strings takes about 90 MB of garbage-collected heap.
 */
export class HexKeySet {
  private words: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(expectedSize = 1024) {
    let capacity = 16;
    while (capacity < expectedSize * 2) capacity *= 2;
    this.words = new Uint32Array(capacity * WORDS);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the key; false when it was already in the set. */
  add(key: string): boolean {
    const [a, b, c, d] = parseKey(key);
    let slot = this.find(a, b, c, d);
    if (slot >= 0) return false;
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    slot = this.freeSlotFor(a, b, c, d);
    this.store(slot, a, b, c, d);
    this.count++;
    return true;
  }

  has(key: string): boolean {
    const [a, b, c, d] = parseKey(key);
    return this.find(a, b, c, d) >= 0;
  }

  private find(a: number, b: number, c: number, d: number): number {
    for (let slot = slotOf(a, b, c, d) & this.mask; this.used[slot] === 1; slot = (slot + 1) & this.mask) {
      const at = slot * WORDS;
      const w = this.words;
      if (w[at] === a && w[at + 1] === b && w[at + 2] === c && w[at + 3] === d) return slot;
    }
    return -1;
  }

  private freeSlotFor(a: number, b: number, c: number, d: number): number {
    let slot = slotOf(a, b, c, d) & this.mask;
    while (this.used[slot] === 1) slot = (slot + 1) & this.mask;
    return slot;
  }

  private store(slot: number, a: number, b: number, c: number, d: number): void {
    const at = slot * WORDS;
    this.words[at] = a;
    this.words[at + 1] = b;
    this.words[at + 2] = c;
    this.words[at + 3] = d;
    this.used[slot] = 1;
  }

  private grow(): void {
    const { words, used } = this;
    const capacity = used.length * 2;
    this.words = new Uint32Array(capacity * WORDS);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (let slot = 0; slot < used.length; slot++) {
      if (used[slot] !== 1) continue;
      const at = slot * WORDS;
      const a = words[at]!;
      const b = words[at + 1]!;
      const c = words[at + 2]!;
      const d = words[at + 3]!;
      this.store(this.freeSlotFor(a, b, c, d), a, b, c, d);
    }
  }
}

const parsed: [number, number, number, number] = [0, 0, 0, 0];

/** The four 32-bit words of a key, into a shared tuple (no allocation per call). */
function parseKey(key: string): [number, number, number, number] {
  if (key.length !== KEY_CHARS) throw notAKey(key);
  for (let word = 0; word < WORDS; word++) {
    let value = 0;
    for (let i = word * 8; i < word * 8 + 8; i++) {
      const c = key.charCodeAt(i);
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (digit < 0) throw notAKey(key);
      value = value * 16 + digit;
    }
    parsed[word] = value;
  }
  return parsed;
}

function notAKey(key: string): Error {
  return new Error(`HexKeySet: ${JSON.stringify(key)} is not a key of 32 lowercase hex characters`);
}

/** Keys from a hash are uniform already; mixing all four words keeps hand-made keys spread too. */
function slotOf(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ d ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
