import { InvalidOptionError } from '../errors.js';
import { readBoundedFile } from '../files/readBoundedFile.js';

/**
 * A secret kept in a file (`--auth-token-file`, `--redis-password-file`): its bytes without one
 * trailing newline (`\n` or `\r\n`). An unreadable, empty or over 64 KiB file is an InvalidOptionError naming
 * `flag` and the path, never the contents; `ifEmpty` tells the user what to do instead.
 */
export function readSecretFile(flag: string, path: string, ifEmpty: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readBoundedFile(path, 64 * 1024);
  } catch (error) {
    throw new InvalidOptionError(flag, `${flag}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes === undefined) throw new InvalidOptionError(flag, `${flag}: ${path} is larger than 64 KiB, too large for a secret: check the path`);
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end--;
  if (bytes[end - 1] === 0x0d) end--;
  if (end === 0) throw new InvalidOptionError(flag, `${flag}: ${path} is empty; ${ifEmpty}`);
  return bytes.slice(0, end);
}
