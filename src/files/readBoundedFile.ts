import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The bytes of the file at `path` when it holds at most `maxBytes`; `undefined` when it holds
 * more, found by reading one byte past the limit, so `/dev/zero`, a FIFO that never ends or a
 * 100 MB file given by mistake costs at most `maxBytes` of memory and is refused at once.
 * Errors of the file system (ENOENT, EISDIR, EACCES) are thrown as they are, for the caller to
 * word.
 */
export function readBoundedFile(path: string, maxBytes: number): Uint8Array | undefined {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) return buffer.subarray(0, length);
      length += read;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
