import { FlakeryError } from '../errors.js';
import type { ServerTarget } from './ClientConnection.js';

/**
 * The error for a connection that ended (closed, or reset: `cause`). A server signals every
 * error by closing, and one that closes before sending a single byte has, in practice, refused
 * the auth frame: the most common cause by far is a wrong or missing token, and saying so with
 * its own code (ERR_AUTH_REFUSED) spares the user guessing from ERR_CONNECTION_LOST. Other
 * causes of such a close (a server that cannot issue now — its worker-id lease lost, its clock
 * behind —, a count above the server's maximum, a server shutting down) are rarer, hence
 * "probably", and the message names the one an operator can check (its /healthz); so is a TLS
 * listener closing a plain connection, which the message names when the client is not using TLS. Once any byte came, a close is ERR_CONNECTION_LOST. The token
 * itself is never quoted.
 */
export function refusedOrLost(target: ServerTarget, tls: boolean, silent: boolean, what: string, cause?: unknown): FlakeryError {
  const options = cause === undefined ? undefined : { cause };
  if (!silent) return new FlakeryError('ERR_CONNECTION_LOST', `the connection to ${target.address} ${what}`, options);
  const message =
    target.token === undefined
      ? `${target.address} closed the connection before any answer, and no auth token is configured for it: it probably requires one ` +
        '(authToken in the client options, auth in the client config, --auth-token-file)'
      : `${target.address} closed the connection after the auth token, before any answer: the token is probably wrong`;
  // A server that cannot issue (lease lost, clock behind) and a TLS listener close just as silently.
  const cannotIssue = '; or it cannot issue IDs now (a lost worker-id lease, a clock behind: its /healthz says which)';
  const orTls = tls ? '' : '; or it wants TLS (tls in the client options, --tls or --ca)';
  return new FlakeryError('ERR_AUTH_REFUSED', `${message}${cannotIssue}${orTls}`, options);
}
