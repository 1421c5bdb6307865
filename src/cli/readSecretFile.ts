import { readFileSync } from 'node:fs';
import { InvalidOptionError } from '../errors.js';

/**
 * A secret kept in a file (`--auth-token-file`, `--redis-password-file`): its bytes without one
 * trailing newline (`\n` or `\r\n`). An unreadable or empty file is an InvalidOptionError naming
 * `flag` and the path, never the contents; `ifEmpty` tells the user what to do instead.
 */
export function readSecretFile(flag: string, path: string, ifEmpty: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InvalidOptionError(flag, `${flag}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end--;
  if (bytes[end - 1] === 0x0d) end--;
  if (end === 0) throw new InvalidOptionError(flag, `${flag}: ${path} is empty; ${ifEmpty}`);
  return bytes.slice(0, end);
}
