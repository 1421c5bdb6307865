import { constantTimeEqual } from '../../protocol/constantTimeEqual.js';

const encoder = new TextEncoder();

/**
 * True when `header` (an Authorization header) is `Bearer <token>` with the expected token.
 * The scheme is case-insensitive (RFC 7235). The token is compared in constant time, so how
 * long a wrong token takes says nothing about how much of it was right.
 */
export function hasBearerToken(header: string | undefined, expected: Uint8Array): boolean {
  if (header === undefined) return false;
  const match = /^[Bb][Ee][Aa][Rr][Ee][Rr] +(\S+) *$/.exec(header);
  const received = match ? encoder.encode(match[1]) : new Uint8Array(0);
  // Compare even without a match, so a malformed header takes as long as a wrong token.
  return constantTimeEqual(received, expected) && match !== null;
}
