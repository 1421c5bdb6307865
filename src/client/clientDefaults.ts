/**
 * Every default of the client in one place, undici style: what to override is visible here and
 * nowhere else. `retryableCodes` decides failover: a request that fails with one of these codes
 * (while connecting, or on a connection that broke before the answer was complete) is sent again
 * to the next server in priority order. IDs of an answer that never arrived whole are simply
 * never used, so retrying is always safe. Any other error goes straight to the caller.
 */
export const clientDefaults = {
  /** Time to open a TCP connection (and, with TLS, finish the handshake). */
  connectTimeoutMs: 2_000,
  /** Time from sending a request until its last byte arrives. */
  requestTimeoutMs: 10_000,
  /**
   * Larger batches are asked for in requests of at most this many IDs, one after another.
   * 65,535 is the most an original overt-flake server answers, so the client works with both.
   */
  maxCountPerRequest: 65_535,
  /** Error codes after which the request moves on to the next server. */
  retryableCodes: [
    'ERR_CONNECT_TIMEOUT',
    'ERR_REQUEST_TIMEOUT',
    'ERR_CONNECTION_LOST',
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'EHOSTDOWN',
    'ENETUNREACH',
    'ENETDOWN',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EADDRNOTAVAIL',
  ],
} as const;
