/** How much of the file start is inspected: enough to catch any real binary format early. */
export const SNIFF_BYTES = 8 * 1024;

/**
 * Says why the start of a file looks binary, or undefined if it looks like text. JSON text never
 * contains NUL and only whitespace among the control characters, so even a modest share of them
 * means the file is not a pool (UTF-16 text has NUL bytes and is caught here too).
 */
export function binaryReason(head: Uint8Array): string | undefined {
  const sample = head.subarray(0, SNIFF_BYTES);
  if (sample[0] === 0x1f && sample[1] === 0x8b) return 'file is gzip-compressed; decompress it first';
  if (sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) {
    return 'file is a zip archive; extract it first';
  }
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return 'file looks binary (contains NUL bytes in the first 8 KB; UTF-16 is not supported, save as UTF-8)';
    if (isSuspiciousControl(byte)) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.1) {
    const percent = Math.round((100 * control) / sample.length);
    return `file looks binary (${percent}% control characters in the first 8 KB)`;
  }
  return undefined;
}

function isSuspiciousControl(byte: number): boolean {
  const whitespace = byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c;
  return (byte < 0x20 && !whitespace) || byte === 0x7f;
}
