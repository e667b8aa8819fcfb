const KEY_CHARS = 32;
const WORDS = 4;
/**
 * Linear probing stays short up to three quarters full (about 2.5 probes to find a key, 8.5 to
 * miss at the worst moment); growing by half rather than doubling keeps the table between 50% and
 * 75% full instead of 25% and 50%.
 */
const MAX_LOAD = 0.75;
const GROWTH = 1.5;

/**
 * An exact set of 128-bit keys written as 32 lowercase hex characters (the form of
 * `instructionKey`), at 16 bytes per slot in one typed array. An import de-duplicates a whole
 * pool with it before rows reach PostgreSQL: a million keys take 24 MB here (36 MB with a
 * separate used-flag array at most half full; a Set of the key strings takes about 90 MB of
 * garbage-collected heap). An all-zero slot is empty, so the all-zero key is kept aside.
 */
export class HexKeySet {
  private words: Uint32Array;
  private capacity: number;
  private count = 0;
  private hasZeroKey = false;

  constructor(expectedSize = 1024) {
    let capacity = 16;
    while (capacity * MAX_LOAD < expectedSize) capacity = Math.ceil(capacity * GROWTH);
    this.capacity = capacity;
    this.words = new Uint32Array(capacity * WORDS);
  }

  get size(): number {
    return this.count;
  }

  /** Adds the key; false when it was already in the set. */
  add(key: string): boolean {
    const [a, b, c, d] = parseKey(key);
    if (isZero(a, b, c, d)) {
      if (this.hasZeroKey) return false;
      this.hasZeroKey = true;
      this.count++;
      return true;
    }
    let found = this.find(a, b, c, d);
    if (found >= 0) return false;
    if (this.count + 1 > this.capacity * MAX_LOAD) {
      this.grow();
      found = this.find(a, b, c, d);
    }
    this.store(-found - 1, a, b, c, d);
    this.count++;
    return true;
  }

  has(key: string): boolean {
    const [a, b, c, d] = parseKey(key);
    if (isZero(a, b, c, d)) return this.hasZeroKey;
    return this.find(a, b, c, d) >= 0;
  }

  /** The key's slot when present; else -1 - the empty slot where it would go. */
  private find(a: number, b: number, c: number, d: number): number {
    const w = this.words;
    for (let slot = slotOf(a, b, c, d) % this.capacity; ; slot = slot + 1 === this.capacity ? 0 : slot + 1) {
      const at = slot * WORDS;
      const w0 = w[at]!;
      const w1 = w[at + 1]!;
      const w2 = w[at + 2]!;
      const w3 = w[at + 3]!;
      if (w0 === a && w1 === b && w2 === c && w3 === d) return slot;
      if (isZero(w0, w1, w2, w3)) return -1 - slot;
    }
  }

  private store(slot: number, a: number, b: number, c: number, d: number): void {
    const at = slot * WORDS;
    this.words[at] = a;
    this.words[at + 1] = b;
    this.words[at + 2] = c;
    this.words[at + 3] = d;
  }

  private grow(): void {
    const { words } = this;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.words = new Uint32Array(this.capacity * WORDS);
    for (let at = 0; at < words.length; at += WORDS) {
      const a = words[at]!;
      const b = words[at + 1]!;
      const c = words[at + 2]!;
      const d = words[at + 3]!;
      if (!isZero(a, b, c, d)) this.store(-this.find(a, b, c, d) - 1, a, b, c, d);
    }
  }
}

function isZero(a: number, b: number, c: number, d: number): boolean {
  return (a | b | c | d) === 0;
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
