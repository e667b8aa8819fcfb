import { decodeEmbedding, LlmError, modelFacts } from '../src';

describe('decodeEmbedding', () => {
  test('reads base64 little-endian float32, as OpenAI sends it, and plain arrays from servers that ignore encoding_format', () => {
    const vector = Float32Array.from([0.5, -1.25, 3]);
    const base64 = Buffer.from(vector.buffer).toString('base64');
    expect(Array.from(decodeEmbedding(base64))).toEqual([0.5, -1.25, 3]);
    expect(Array.from(decodeEmbedding([0.5, -1.25, 3]))).toEqual([0.5, -1.25, 3]);
  });

  test('refuses what is not a vector', () => {
    expect(() => decodeEmbedding(Buffer.from([1, 2, 3]).toString('base64'))).toThrow(LlmError);
    expect(() => decodeEmbedding({ values: [1] })).toThrow(/neither base64/);
    expect(() => decodeEmbedding(['a'])).toThrow(LlmError);
  });

  test('the simulator embedding model is priced like text-embedding-3-small', () => {
    expect(modelFacts('sim-embedding').price).toEqual({ inputPerMTok: 0.02, outputPerMTok: 0 });
  });
});
