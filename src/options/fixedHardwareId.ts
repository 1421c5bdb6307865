import { InvalidOptionError } from '../errors.js';
import { HARDWARE_ID_BYTES } from '../layouts/OvertNode.js';

/** `--hid`: exactly 12 hex digits (colons or dashes between pairs allowed). */
export function hardwareIdFromHex(option: string, text: string): Uint8Array {
  const digits = text.trim().replace(/[:-]/g, '');
  if (!/^[0-9a-f]{12}$/i.test(digits)) {
    throw new InvalidOptionError(option, `${option} must be 12 hex digits (6 bytes), e.g. 0242ac110002`);
  }
  return Uint8Array.from(digits.match(/../g)!, (pair) => Number.parseInt(pair, 16));
}

/** overt-flake's `-hid`: a string whose first 6 bytes (UTF-8) are the hardware id. */
export function hardwareIdFromString(option: string, text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length < HARDWARE_ID_BYTES) {
    throw new InvalidOptionError(option, `${option} must be at least ${HARDWARE_ID_BYTES} bytes long; its first 6 bytes are the hardware id`);
  }
  return bytes.slice(0, HARDWARE_ID_BYTES);
}
