import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { binaryReason } from './binary-sniff';
import { isGzip, readHead } from './file-kind';
import { invalidUtf8Offset } from './invalid-utf8-offset';
import { PoolFileError } from './pool-file-error';
import { DEFAULT_CHUNK_BYTES } from './pool-types';

const NEWLINE = 0x0a;

/**
 * Streams a file as decoded UTF-8 text, a chunk at a time, with the BOM removed; a gzip file (told
 * by its magic bytes, whatever its name) is decompressed on the way, a chunk at a time. Whole-file
 * problems (missing, binary, invalid UTF-8) surface as PoolFileError. An empty file yields
 * nothing; whether that is an error is the caller's call.
 *
 * The decoder is fatal so that corrupt bytes stop the import instead of silently turning into
 * U+FFFD inside instructions (which would then never match their answers by key).
 */
export async function* readTextChunks(file: string, chunkBytes = DEFAULT_CHUNK_BYTES): AsyncGenerator<string> {
  await assertReadableFile(file);
  // ignoreBOM: false means a leading BOM is consumed, not passed on as U+FEFF.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  // Newlines already decoded: needed to name the line of an invalid byte. A 0x0A byte is never
  // part of a multi-byte sequence, so counting bytes counts lines exactly.
  let newlinesBefore = 0;
  let first = true;
  let gzipped = false;
  try {
    gzipped = isGzip(await readHead(file, 2));
  } catch (error) {
    throw asPoolFileError(file, error);
  }
  const raw = createReadStream(file, { highWaterMark: chunkBytes });
  const stream: Readable = gzipped ? raw.pipe(createGunzip({ chunkSize: Math.max(64, chunkBytes) })) : raw;
  if (gzipped) raw.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        const reason = binaryReason(chunk);
        if (reason) throw new PoolFileError(file, reason);
        first = false;
      }
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const offset = invalidUtf8Offset(chunk);
        throw new PoolFileError(file, 'invalid UTF-8', newlinesBefore + countNewlines(chunk, offset) + 1);
      }
      newlinesBefore += countNewlines(chunk, chunk.length);
      if (text.length > 0) yield text;
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      throw new PoolFileError(file, 'invalid UTF-8 (file ends inside a multi-byte character)', newlinesBefore + 1);
    }
    if (tail.length > 0) yield tail;
  } catch (error) {
    const zlibCode = (error as NodeJS.ErrnoException | undefined)?.code;
    if (gzipped && typeof zlibCode === 'string' && zlibCode.startsWith('Z_')) {
      throw new PoolFileError(file, `gzip data is corrupt or truncated (${(error as Error).message}) after line ${newlinesBefore + 1}`);
    }
    throw asPoolFileError(file, error);
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

async function assertReadableFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw asPoolFileError(file, error);
  }
  if (info.isDirectory()) throw new PoolFileError(file, 'is a directory, not a pool file');
}

function countNewlines(bytes: Buffer, end: number): number {
  let count = 0;
  let at = bytes.indexOf(NEWLINE);
  while (at !== -1 && at < end) {
    count++;
    at = bytes.indexOf(NEWLINE, at + 1);
  }
  return count;
}

function asPoolFileError(file: string, error: unknown): PoolFileError {
  if (error instanceof PoolFileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new PoolFileError(file, 'file not found');
  if (code === 'EACCES') return new PoolFileError(file, 'permission denied');
  if (code === 'EISDIR') return new PoolFileError(file, 'is a directory, not a pool file');
  return new PoolFileError(file, `cannot read file: ${error instanceof Error ? error.message : String(error)}`);
}
