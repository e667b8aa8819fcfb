/**
 * Finds where a fatal TextDecoder choked, so the error can name a line. Only called after the
 * decoder has already failed, so speed does not matter; correctness against the WHATWG decoder
 * does (overlongs, surrogates and code points above U+10FFFF are all invalid).
 *
 * Up to three continuation bytes at the start may finish a sequence begun in the previous chunk;
 * they are skipped. If nothing invalid is found the fault straddles the chunk boundary: offset 0.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < 3 && i < bytes.length && isContinuation(bytes[i]!)) i++;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length = sequenceLength(lead);
    if (length === 0) return i;
    if (length === 1) {
      i++;
      continue;
    }
    // The second byte's valid range depends on the lead byte; this is what excludes overlongs,
    // surrogates and code points past U+10FFFF.
    const [low, high] = secondByteRange(lead);
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return 0; // incomplete at the end is legal mid-stream: the fault was elsewhere
      const b = bytes[i + k]!;
      const ok = k === 1 ? b >= low && b <= high : isContinuation(b);
      if (!ok) return i;
    }
    i += length;
  }
  return 0;
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}
