import type { CleanDrop } from './clean-drop';
import type { RowAnalysis } from './row-analyser';

/**
 * The analyses of a batch of rows in a form that crosses threads cheaply: the few drops as a
 * sparse list, everything else in typed arrays whose buffers are transferred, not copied (a
 * batch's shingles as objects would cost the structured clone more than the analysis).
 */
export interface PackedAnalyses {
  count: number;
  /** [row in batch, its drop], for the rows a per-row rule or decontamination dropped. */
  drops: [number, CleanDrop][];
  /** Two 32-bit halves per row (0, 0 for a dropped row). */
  identities: Uint32Array;
  /** Row i's shingles are shingles[shingleStarts[i] .. shingleStarts[i + 1]); likewise its keys and sketch. */
  shingleStarts: Int32Array;
  shingles: Uint32Array;
  keyStarts: Int32Array;
  keys: Uint32Array;
  sketchStarts: Int32Array;
  sketches: Int32Array;
}

export function packAnalyses(analyses: readonly RowAnalysis[]): PackedAnalyses {
  const count = analyses.length;
  let shingleTotal = 0;
  let keyTotal = 0;
  let sketchTotal = 0;
  for (const a of analyses) {
    if (a.drop) continue;
    shingleTotal += a.shingles.length;
    keyTotal += a.signature.keys.length;
    sketchTotal += a.signature.sketch.length;
  }
  const packed: PackedAnalyses = {
    count,
    drops: [],
    identities: new Uint32Array(2 * count),
    shingleStarts: new Int32Array(count + 1),
    shingles: new Uint32Array(shingleTotal),
    keyStarts: new Int32Array(count + 1),
    keys: new Uint32Array(keyTotal),
    sketchStarts: new Int32Array(count + 1),
    sketches: new Int32Array(sketchTotal),
  };
  let s = 0;
  let k = 0;
  let h = 0;
  for (let i = 0; i < count; i++) {
    const a = analyses[i]!;
    if (a.drop) packed.drops.push([i, a.drop]);
    else {
      packed.identities[2 * i] = a.identity[0];
      packed.identities[2 * i + 1] = a.identity[1];
      packed.shingles.set(a.shingles, s);
      s += a.shingles.length;
      packed.keys.set(a.signature.keys, k);
      k += a.signature.keys.length;
      packed.sketches.set(a.signature.sketch, h);
      h += a.signature.sketch.length;
    }
    packed.shingleStarts[i + 1] = s;
    packed.keyStarts[i + 1] = k;
    packed.sketchStarts[i + 1] = h;
  }
  return packed;
}

/** Reads a packed batch back row by row, in ascending order (the drops list is walked once). */
export class PackedAnalysesReader {
  private nextDrop = 0;
  constructor(private readonly packed: PackedAnalyses) {}

  at(i: number): RowAnalysis {
    const p = this.packed;
    while (this.nextDrop < p.drops.length && p.drops[this.nextDrop]![0] < i) this.nextDrop++;
    const drop = this.nextDrop < p.drops.length && p.drops[this.nextDrop]![0] === i ? p.drops[this.nextDrop]![1] : null;
    if (drop) return { drop };
    return {
      drop: null,
      identity: [p.identities[2 * i]!, p.identities[2 * i + 1]!],
      shingles: p.shingles.subarray(p.shingleStarts[i]!, p.shingleStarts[i + 1]!),
      signature: {
        keys: p.keys.subarray(p.keyStarts[i]!, p.keyStarts[i + 1]!),
        sketch: p.sketches.subarray(p.sketchStarts[i]!, p.sketchStarts[i + 1]!),
      },
    };
  }
}

export function transferables(p: PackedAnalyses): ArrayBuffer[] {
  return [p.identities, p.shingleStarts, p.shingles, p.keyStarts, p.keys, p.sketchStarts, p.sketches].map((a) => a.buffer as ArrayBuffer);
}
