/**
 * Compares a token received from a client with the expected one in time that depends only on the
 * expected token's length, never on where the first differing byte is or on the received length.
 *
 * Why not `===` on strings or an early-exit loop: those return sooner the earlier the first wrong
 * byte is, which lets a client discover a token byte by byte by timing its connections. This
 * loop always visits every byte of `expected`, folds every difference into one accumulator with
 * XOR/OR (no data-dependent branch), and folds a length mismatch in the same way instead of
 * returning early on it. JavaScript engines give no hard guarantee, but nothing here invites the
 * JIT to shortcut either.
 */
export function constantTimeEqual(received: Uint8Array, expected: Uint8Array): boolean {
  // Non-zero when the lengths differ; the loop still runs over the whole expected token.
  let diff = received.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    // A received token shorter than expected reads as zeros past its end (undefined ?? 0).
    diff |= (received[i] ?? 0) ^ (expected[i] ?? 0);
  }
  return diff === 0;
}
