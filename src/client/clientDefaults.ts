/**
 * Every default of the client in one place, undici style: what to override is visible here and
 * nowhere else. `retryableCodes` decides failover: a request that fails with one of these codes
 * (while connecting, or on a connection that broke before the answer was complete) is sent again
 * to the next server in priority order. IDs of an answer that never arrived whole are simply
 * never used, so retrying is always safe. Any other error goes straight to the caller. A server
 * that refused (ERR_AUTH_REFUSED, ERR_IMPLAUSIBLE_ID, ERR_IDS_OUT_OF_ORDER) is skipped too, so one misconfigured
 * server does not stop the others; when every server refused alike, that code is the error.
 */
export const clientDefaults = {
  /** Time to open a TCP connection (and, with TLS, finish the handshake). */
  connectTimeoutMs: 2_000,
  /** Time from sending a request until its last byte arrives. */
  requestTimeoutMs: 10_000,
  /**
   * Larger batches are asked for in requests of at most this many IDs, one after another.
   * 65,535 is the most an original overt-flake server answers for `overt` (16-bit sequence).
   * For layouts with fewer sequence bits the default is 2^bits − 1 instead, the most the
   * original answers for them: 4,095 for `snowflake` and `overt53` (12 bits); above that it
   * closes the connection.
   */
  maxCountPerRequest: 65_535,
  /**
   * An ID whose time is further than this from the client's clock is refused
   * (ERR_IMPLAUSIBLE_ID): the server's layout or epoch is not the client's. One day is far
   * beyond any NTP error and far below the years a wrong layout or epoch reads.
   */
  maxClockSkewMs: 86_400_000,
  /**
   * With `prefetch`: hold up to `ids` IDs ahead of use (refilled when a tenth is used), and drop
   * one whose time is more than `maxAgeMs` behind the client's clock when it would be handed
   * out, so a prefetched ID is at most 100 ms old: well inside the 1 s k-sort promise.
   */
  prefetch: { ids: 4_096, maxAgeMs: 100 },
  /** Error codes after which the request moves on to the next server. */
  retryableCodes: [
    'ERR_CONNECT_TIMEOUT',
    'ERR_REQUEST_TIMEOUT',
    'ERR_CONNECTION_LOST',
    'ERR_AUTH_REFUSED',
    'ERR_IMPLAUSIBLE_ID',
    'ERR_IDS_OUT_OF_ORDER',
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
