import { Buffer } from 'node:buffer';
import { constantTimeEqual } from '../../protocol/constantTimeEqual.js';

/**
 * True when `header` (an Authorization header) is `Bearer <token>` with the expected token.
 * The scheme is case-insensitive (RFC 7235). The token is compared in constant time, so how
 * long a wrong token takes says nothing about how much of it was right.
 *
 * The bytes compared are the bytes the client sent: node:http hands header values over as
 * Latin-1 strings, one character per byte, so `Buffer.from(value, 'latin1')` gives them back.
 * A non-ASCII token is thus matched byte for byte against its UTF-8 bytes, as over TCP; any other
 * spelling of it (Latin-1, say) is refused.
 */
export function hasBearerToken(header: string | undefined, expected: Uint8Array): boolean {
  if (header === undefined) return false;
  const match = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([^ \t]+)[ \t]*$/.exec(header);
  const received = match ? Buffer.from(match[1]!, 'latin1') : new Uint8Array(0);
  // Compare even without a match, so a malformed header takes as long as a wrong token.
  return constantTimeEqual(received, expected) && match !== null;
}
