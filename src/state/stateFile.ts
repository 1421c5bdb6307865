import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, writeSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FlakeryError } from '../errors.js';

/**
 * The on-disk format of the high-water mark: one line of JSON, small enough to read with `cat`.
 *
 *     {"version":1,"highWaterMarkMs":1712345678901,"iso":"2024-04-05T19:34:38.901Z"}
 *
 * `version` lets a later Flakery change the format and still refuse files it cannot read rather
 * than misread them. `iso` is for people only and is ignored on reading.
 */
export const STATE_FILE_VERSION = 1;

/** The largest time a JavaScript Date can hold; a mark past it cannot be a real time. */
const MAX_MARK_MS = 8_640_000_000_000_000;

/** Serialises a mark in the format above, newline-terminated. */
export function formatStateFile(highWaterMarkMs: number): string {
  const iso = new Date(highWaterMarkMs).toISOString();
  return `${JSON.stringify({ version: STATE_FILE_VERSION, highWaterMarkMs, iso })}\n`;
}

/**
 * Reads the mark persisted at `path`: `undefined` when the file does not exist (a fresh start),
 * the mark when it is well formed, and an `ERR_STATE_FILE` error naming the path and the
 * problem otherwise. A corrupt file is never treated as fresh: that is exactly the case where
 * starting from nothing could repeat IDs.
 */
export function readStateFile(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stateFileError(path, `cannot read it: ${(err as Error).message}`, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw stateFileError(path, `it is not valid JSON (${(err as Error).message})`, err);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw stateFileError(path, 'it does not hold a JSON object');
  }
  const { version, highWaterMarkMs } = parsed as Record<string, unknown>;
  if (version !== STATE_FILE_VERSION) {
    throw stateFileError(
      path,
      `its "version" is ${JSON.stringify(version)}, this Flakery reads version ${STATE_FILE_VERSION} only`,
    );
  }
  if (
    typeof highWaterMarkMs !== 'number' ||
    !Number.isSafeInteger(highWaterMarkMs) ||
    highWaterMarkMs < 0 ||
    highWaterMarkMs > MAX_MARK_MS
  ) {
    throw stateFileError(
      path,
      `its "highWaterMarkMs" is ${JSON.stringify(highWaterMarkMs)}, expected an integer from 0 to ${MAX_MARK_MS}`,
    );
  }
  return highWaterMarkMs;
}

/**
 * Creates the directory of the state file at `path` (and its parents) when it is missing, so
 * `--state-file /var/lib/flakery/state` works on a fresh machine; throws `ERR_STATE_FILE`
 * naming the directory when it cannot be created (no permission, a file in the way).
 */
export function ensureStateDirectory(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new FlakeryError(
      'ERR_STATE_FILE',
      `state file ${path} (--state-file): cannot create its directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; ` +
        'create the directory (writable by this user) or choose another --state-file',
      { cause: err },
    );
  }
}

/**
 * The one name of the state file at `path` however it is spelt (relative, through a symlinked
 * directory), for the host lock that keeps two nodes off one file: its directory's real path
 * and its own name. Creates the directory, as {@link ensureStateDirectory}.
 */
export function canonicalStateFilePath(path: string): string {
  ensureStateDirectory(path);
  return join(realpathSync(dirname(resolve(path))), basename(path));
}

function stateFileError(path: string, problem: string, cause?: unknown): FlakeryError {
  return new FlakeryError(
    'ERR_STATE_FILE',
    `state file ${path} (--state-file): ${problem}. Fix or remove it only if you are sure the clock ` +
      'is past every ID this node has issued',
    { cause },
  );
}

/**
 * Replaces the file at `path` with `contents` so that a crash at any point leaves either the old
 * or the new contents, and the new contents are on disk when this returns: write a temporary
 * file, fsync it, rename it over the target, fsync the directory (which makes the rename durable).
 */
export function writeFileAtomicSync(path: string, tempPath: string, contents: string): void {
  const fd = openSync(tempPath, 'w', 0o644);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tempPath, path);
  fsyncDirectorySync(dirname(path));
}

function fsyncDirectorySync(dir: string): void {
  // Windows cannot open a directory for fsync; there the rename is as durable as it gets.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The asynchronous twin of {@link writeFileAtomicSync}, split in two so the caller can decide at
 * the last moment whether the rename should still happen: `prepare` writes and fsyncs the
 * temporary file, then `commit` renames it (synchronously, so no other write on the event loop
 * can slip in between the caller's check and the rename) and returns a promise for the
 * directory fsync; `discard` removes the temporary file instead.
 */
export async function prepareFileAtomic(tempPath: string, contents: string): Promise<PreparedWrite> {
  const handle = await open(tempPath, 'w', 0o644);
  try {
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return {
    commit: async (path: string) => {
      renameSync(tempPath, path);
      await fsyncDirectory(dirname(path));
    },
    discard: async () => {
      await unlink(tempPath).catch(() => undefined);
    },
  };
}

export interface PreparedWrite {
  commit(path: string): Promise<void>;
  discard(): Promise<void>;
}

async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
