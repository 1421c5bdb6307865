import type { ConnectionOptions } from 'node:tls';
import type { Clock } from '../clock/Clock.js';
import type { EpochName } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import type { LayoutName } from '../layouts/registry.js';
import type { PrefetchOptions } from './resolvePrefetch.js';

/** One server: `host:port`, or with the token it requires. */
export type ServerEntry = string | { readonly address: string; readonly authToken?: string | Uint8Array | undefined };

export interface ClientOptions {
  /** In priority order: the first reachable one is used until its connection breaks. */
  readonly servers: readonly ServerEntry[];
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** The servers' layout, to know the ID size: `overt` (default), `overt53`, `snowflake`, `uuidv7` or a Layout. */
  readonly layout?: LayoutName | Layout<unknown>;
  /** Bytes per ID, instead of `layout` (then answers are not checked: see `maxClockSkewMs`). */
  readonly idSize?: number;
  /** The servers' epoch, to read their IDs' time. Default: the layout's (overtone, twitter). */
  readonly epoch?: EpochName | number;
  /**
   * An ID whose time (read with `layout` and `epoch`) lies further than this from `clock` is
   * refused with ERR_IMPLAUSIBLE_ID: the server's layout or epoch is not the client's.
   * Default one day; 0 or Infinity: no check.
   */
  readonly maxClockSkewMs?: number;
  /** The clock answers are compared with. Default the system clock. */
  readonly clock?: Clock;
  /**
   * Larger batches are split into requests of at most this many IDs. Default: 65,535 for
   * `overt`, 4,095 for `snowflake` and `overt53` (the most the original server answers).
   */
  readonly maxCountPerRequest?: number;
  /** Error codes that move a request on to the next server. Default `clientDefaults.retryableCodes`. */
  readonly retryableCodes?: readonly string[];
  /** Connect with TLS (options for `tls.connect`: ca, cert, key, servername, …). */
  readonly tls?: ConnectionOptions;
  /**
   * Hold IDs fetched ahead and answer from them (see docs/client.md): `{ ids, maxAgeMs }`,
   * defaults `clientDefaults.prefetch`. Needs `layout`. Absent: every call is a round trip.
   */
  readonly prefetch?: PrefetchOptions;
}
