/**
 * Numbers that define the overt-flake TCP wire protocol. Every frame the client sends starts with
 * a 4-byte big-endian unsigned integer N:
 *
 * ```
 *  N & 0xFFFFFF00 == 0xFFFFFF00   auth header: FF FF FF nn, then nn (0..255) bytes of token
 *  N == 0                         protocol error
 *  otherwise                      count: the server answers with exactly N IDs
 * ```
 *
 * The auth header takes the top 256 values of the 32-bit space, so the largest count a frame can
 * carry is 0xFFFFFEFF.
 */

/** A frame whose first four bytes, masked with this, equal this is an auth header. */
export const AUTH_HEADER_MASK = 0xffffff00;

/** The token length travels in the low byte of the auth header, so it is at most 255 bytes. */
export const MAX_TOKEN_LENGTH = 255;

/** Bytes in a frame header (the big-endian unsigned integer every frame starts with). */
export const FRAME_SIZE = 4;

/** The largest count a frame can carry: one below the first auth header value. */
export const MAX_WIRE_COUNT = 0xfffffeff;

/** The most bytes of one incomplete frame a decoder ever needs to hold: a header and a full token. */
export const MAX_PARTIAL_FRAME = FRAME_SIZE + MAX_TOKEN_LENGTH;
