import { createHash, randomBytes, type Hash } from 'node:crypto';
import { close, createWriteStream, fsync, openSync, type WriteStream } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const fsyncFd = promisify(fsync);
const closeFd = promisify(close);

/**
 * Writes one JSON value per line, streaming with backpressure. Output goes to a temporary file
 * beside the target, which is fsynced and renamed over the target on close(): a crash or an
 * abort() leaves either the previous stage file or none, never a half-written one. (The rename
 * is atomic because the temp file is in the same directory, hence on the same filesystem.)
 */
export class JsonlWriter {
  readonly path: string;
  readonly tempPath: string;
  private rowCount = 0;
  private byteCount = 0;
  private readonly hash: Hash = createHash('sha256');
  private digest: string | undefined;
  private state: 'open' | 'closing' | 'closed' | 'aborted' = 'open';
  private streamError: Error | undefined;

  private readonly fd: number;
  private readonly stream: WriteStream;
  private fdClosed = false;

  /** Creates the temp file right away (synchronously), so a bad directory fails here, not on first write. */
  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    this.fd = openSync(this.tempPath, 'wx');
    // autoClose off: the descriptor must stay open after the last write so it can be fsynced.
    this.stream = createWriteStream('', { fd: this.fd, autoClose: false, highWaterMark: 1024 * 1024 });
    this.stream.on('error', (error) => {
      this.streamError ??= error;
    });
  }

  get rowsWritten(): number {
    return this.rowCount;
  }

  /** The file's size and sha256, known once close() has put it in place (the manifest records them). */
  get written(): { bytes: number; sha256: string } {
    if (this.state !== 'closed' || this.digest === undefined) throw new Error(`JsonlWriter for ${this.path} is ${this.state}, not closed`);
    return { bytes: this.byteCount, sha256: this.digest };
  }

  /** Resolves once the row is buffered; waits for 'drain' when the buffer is full. */
  async write(value: unknown): Promise<void> {
    this.assertWritable();
    const line = JSON.stringify(value);
    if (line === undefined) throw new TypeError('JsonlWriter.write: value is not JSON-serialisable');
    this.rowCount++;
    const text = line + '\n';
    // Hashed as written, so the manifest need not read the file back.
    this.hash.update(text);
    this.byteCount += Buffer.byteLength(text);
    if (!this.stream.write(text)) await this.drained();
    this.assertWritable();
  }

  /** Flushes, fsyncs and renames into place. Resolves when the stage file is complete on disk. */
  async close(): Promise<void> {
    this.assertWritable();
    this.state = 'closing';
    try {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('error', reject);
        this.stream.end(() => resolve());
      });
      if (this.streamError) throw this.streamError;
      await fsyncFd(this.fd);
      await this.closeFd();
      await rename(this.tempPath, this.path);
      await syncDirectory(dirname(this.path));
      this.digest = this.hash.digest('hex');
      this.state = 'closed';
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Drops everything written; the target path is left untouched. */
  async abort(): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return;
    await this.discard();
  }

  private async discard(): Promise<void> {
    this.state = 'aborted';
    this.stream.destroy();
    await this.closeFd().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }

  private async closeFd(): Promise<void> {
    if (this.fdClosed) return;
    this.fdClosed = true;
    await closeFd(this.fd);
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.stream.off('error', onError);
        resolve();
      };
      const onError = (error: Error): void => {
        this.stream.off('drain', onDrain);
        reject(error);
      };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
  }

  private assertWritable(): void {
    if (this.streamError) throw this.streamError;
    if (this.state !== 'open') throw new Error(`JsonlWriter for ${this.path} is ${this.state}`);
  }
}

/** Makes the rename itself durable. Not every platform can fsync a directory; that is not fatal. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
