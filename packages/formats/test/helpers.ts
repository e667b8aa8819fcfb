import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPool, type ImportEvent, type PoolRecord, type ReadPoolOptions } from '@tapir/formats';

/** A fresh temp directory per test file, removed after it. */
export function useTempDir(): { file: (name: string, content: string | Uint8Array) => string; path: (name: string) => string } {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapir-formats-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    path: (name) => join(dir, name),
  };
}

export function jsonl(...rows: unknown[]): string {
  return rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n') + '\n';
}

export async function readAll(path: string, opts?: ReadPoolOptions): Promise<ImportEvent[]> {
  const events: ImportEvent[] = [];
  for await (const event of readPool(path, opts)) events.push(event);
  return events;
}

export async function records(path: string, opts?: ReadPoolOptions): Promise<PoolRecord[]> {
  const events = await readAll(path, opts);
  const errors = events.filter((e) => e.kind === 'error');
  if (errors.length > 0) throw new Error(`unexpected row errors: ${JSON.stringify(errors)}`);
  return events.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
}

export async function errorsOf(path: string, opts?: ReadPoolOptions): Promise<{ line: number; message: string }[]> {
  const events = await readAll(path, opts);
  return events.flatMap((e) => (e.kind === 'error' ? [{ line: e.line, message: e.message }] : []));
}

/** Resolves to the PoolFileError (or whatever was thrown) from reading the whole file. */
export async function fileError(path: string, opts?: ReadPoolOptions): Promise<unknown> {
  try {
    await readAll(path, opts);
  } catch (error) {
    return error;
  }
  throw new Error(`expected reading ${path} to fail`);
}
