import { packAnalyses, PackedAnalysesReader, transferables } from '../src/packed-analyses';
import type { RowAnalysis } from '../src/row-analyser';

function kept(i: number, shingles: number, bands: number): RowAnalysis {
  return {
    drop: null,
    identity: [i * 7 + 1, ((i * 13) ^ 0xdeadbeef) >>> 0],
    shingles: Uint32Array.from({ length: shingles }, (_, j) => i * 100 + j),
    signature: { keys: Uint32Array.from({ length: bands }, (_, b) => i * 1000 + b), sketch: Int32Array.from([i, -i]) },
  };
}

describe('packed analyses', () => {
  test('survive a transfer to another thread and read back row by row as they were', () => {
    const analyses: RowAnalysis[] = [];
    for (let i = 0; i < 50; i++) {
      if (i % 7 === 3) analyses.push({ drop: { reason: 'length', evidence: { rule: 'min-words', score: i, threshold: 3 } } });
      else analyses.push(kept(i, i % 5, 15));
    }
    const packed = packAnalyses(analyses);
    // structuredClone with a transfer list is what postMessage does to the buffers.
    const received = structuredClone(packed, { transfer: transferables(packed) });
    expect(packed.shingles.byteLength).toBe(0); // transferred, not copied
    const reader = new PackedAnalysesReader(received);
    analyses.forEach((a, i) => expect(reader.at(i)).toEqual(a));
  });

  test('an empty batch and a batch of drops only', () => {
    expect(packAnalyses([]).count).toBe(0);
    const drop: RowAnalysis = { drop: { reason: 'language', evidence: { rule: 'language-id' } } };
    const reader = new PackedAnalysesReader(packAnalyses([drop, drop]));
    expect(reader.at(0)).toEqual(drop);
    expect(reader.at(1)).toEqual(drop);
  });
});
