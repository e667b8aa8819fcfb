/** Rounds to 4 decimals so averaged judge scores compare and serialise without float noise (7.499999999). */
export function round4(x: number): number {
  const r = Math.round(x * 1e4) / 1e4;
  // Normalise -0 so it prints and hashes like 0.
  return r === 0 ? 0 : r;
}
