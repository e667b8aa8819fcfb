import { normalizeText } from '@tapir/core';
import { fmix32, hashStringTwice } from './hash32';

/**
 * Exact duplicates: rows whose instruction and input are equal after normalizeText (case,
 * whitespace, Unicode forms; the same folding as import's item keys). The identity is 64 bits (two
 * independent 32-bit hashes), in an open-addressing table of typed arrays: a million rows cost
 * 24 MB. Two different texts collide with probability about n^2 / 2^65, 3e-8 at a million rows.
 */
export class ExactIndex {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  /** ref + 1; 0 is an empty slot. */
  private refs = new Int32Array(1 << 12);
  private used = 0;

  static identity(instruction: string, input: string): [number, number] {
    const text = normalizeText(instruction) + '\u0000' + normalizeText(input);
    return hashStringTwice(text, 0x243f6a88, 0x85a308d3);
  }

  get size(): number {
    return this.used;
  }

  /** The ref of the kept row with this identity, or -1. */
  find([hi, lo]: [number, number]): number {
    const mask = this.refs.length - 1;
    for (let slot = fmix32(hi ^ lo) & mask; ; slot = (slot + 1) & mask) {
      const r = this.refs[slot]!;
      if (r === 0) return -1;
      if (this.hi[slot] === hi && this.lo[slot] === lo) return r - 1;
    }
  }

  /** Keeps the identity under ref unless it is kept already. */
  add(identity: [number, number], ref: number): void {
    if ((this.used + 1) * 2 > this.refs.length) this.rehash();
    this.place(identity[0], identity[1], ref + 1);
  }

  private place(hi: number, lo: number, refPlusOne: number): void {
    const mask = this.refs.length - 1;
    let slot = fmix32(hi ^ lo) & mask;
    while (this.refs[slot] !== 0) {
      if (this.hi[slot] === hi && this.lo[slot] === lo) return;
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.refs[slot] = refPlusOne;
    this.used++;
  }

  private rehash(): void {
    const { hi, lo, refs } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    this.refs = new Int32Array(refs.length * 2);
    this.used = 0;
    for (let i = 0; i < refs.length; i++) if (refs[i] !== 0) this.place(hi[i]!, lo[i]!, refs[i]!);
  }
}
