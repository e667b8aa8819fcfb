import { createHash } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';

/** A file the manifest describes: its size and sha256, to check a copy against. */
export interface ManifestFile {
  bytes: number;
  sha256: string;
}

/**
 * Writes a small export file whole or not at all: under a temporary name, fsynced, then renamed
 * over the target, so a crash leaves the previous file or none. Returns what the manifest records.
 */
export async function writeFileAtomically(path: string, text: string): Promise<ManifestFile> {
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  return { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

export function writeJsonAtomically(path: string, value: unknown): Promise<ManifestFile> {
  return writeFileAtomically(path, JSON.stringify(value, null, 2) + '\n');
}
