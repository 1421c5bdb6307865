/**
 * File descriptors kept free of client connections: stdio, the event loop's own, the listeners,
 * the state file and its directory (opened for each write), Redis, log files, DNS, a TLS file
 * re-read. 32, or a tenth of the limit when that is more.
 */
export function reservedFileDescriptors(openFileLimit: number): number {
  return Math.max(32, Math.floor(openFileLimit / 10));
}

export interface ConnectionCaps {
  /** The cap each listener (TCP, HTTP) applies. */
  readonly perListener: number;
  /** A line for the start-up output: what the caps are and why. */
  readonly note: string | undefined;
  /** Set when an explicit cap exceeds what the open-file limit allows. */
  readonly warning: string | undefined;
}

export interface ConnectionCapsInput {
  /** The configured cap per listener: the flag's value, or the default. */
  readonly maxConnections: number;
  /** The flag or key that set it; `undefined`: the default, which is fitted to the limit. */
  readonly from: string | undefined;
  /** TCP alone: 1; TCP and HTTP: 2. */
  readonly listeners: number;
  /** The soft RLIMIT_NOFILE; `undefined`: unknown, the configured cap stands. */
  readonly openFileLimit: number | undefined;
}

/**
 * Fits the connection caps to the open-file limit, so that open connections can never take
 * the descriptors the state file, Redis or the logs need (a state-file write failing with
 * EMFILE stops the node handing out IDs). The listeners share what the reserve leaves. A default
 * cap is lowered to fit; an explicit one is kept, with a warning that says what fits.
 */
export function connectionCaps(input: ConnectionCapsInput): ConnectionCaps {
  const { maxConnections, from, listeners, openFileLimit } = input;
  if (openFileLimit === undefined) return { perListener: maxConnections, note: undefined, warning: undefined };
  const reserve = reservedFileDescriptors(openFileLimit);
  const fits = Math.max(1, Math.floor((openFileLimit - reserve) / listeners));
  const each = listeners === 1 ? '' : ` on each of the ${listeners} listeners`;
  const why = `the open-file limit (ulimit -n) is ${openFileLimit}, ${reserve} kept for the state file, Redis and logs`;
  if (from === undefined) {
    const perListener = Math.min(maxConnections, fits);
    return { perListener, note: `at most ${perListener} connections${each}: ${why}`, warning: undefined };
  }
  if (maxConnections <= fits) {
    return { perListener: maxConnections, note: `at most ${maxConnections} connections${each} (${from})`, warning: undefined };
  }
  return {
    perListener: maxConnections,
    note: `at most ${maxConnections} connections${each} (${from})`,
    warning:
      `${from} ${maxConnections} is more than ${why}, leaves for connections (${fits}${each}): once the descriptors run out, ` +
      `state-file writes fail and no IDs are handed out. Lower ${from}, or raise the limit (ulimit -n, LimitNOFILE=).`,
  };
}
