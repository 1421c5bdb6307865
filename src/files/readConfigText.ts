import { FlakeryError } from '../errors.js';
import { readBoundedFile } from './readBoundedFile.js';

/** The largest config file read: every config file is a few lines. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/**
 * The text of a YAML config file (`flakery serve --config`, `ofsrvr -config`, a client config),
 * or ERR_CONFIG_FILE naming it: `what` (`config file`, `client config`) and the path, when it
 * cannot be read or is larger than 1 MiB (say `/dev/zero` or a log file given by mistake, which
 * would otherwise be read and parsed whole).
 */
export function readConfigText(path: string, what = 'config file'): string {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readBoundedFile(path, MAX_CONFIG_FILE_BYTES);
  } catch (error) {
    throw new FlakeryError('ERR_CONFIG_FILE', `cannot read ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (bytes === undefined) {
    throw new FlakeryError('ERR_CONFIG_FILE', `${what} ${path} is larger than 1 MiB: a config file is a few lines; check the path`);
  }
  return Buffer.from(bytes).toString('utf8');
}
