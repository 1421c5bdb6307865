import { FlakeryError } from '../errors.js';
import type { SnowflakeNode } from '../layouts/SnowflakeLayout.js';

/**
 * The node a snowflake ServerConfig holds while its worker id is still to come from a lease
 * (`--worker-id-from`). Compared by identity: a generator is never made with it, so a config
 * whose lease was dropped on the way (a spread that lost `workerId`) is refused, not served as
 * worker id 0 next to the node that really holds 0.
 */
export const PLACEHOLDER_WORKER_ID_NODE: SnowflakeNode = Object.freeze({ workerId: 0 });

/** Throws ERR_WORKER_ID when `node` is the placeholder. */
export function refusePlaceholderNode(node: unknown): void {
  if (node === PLACEHOLDER_WORKER_ID_NODE) {
    throw new FlakeryError(
      'ERR_WORKER_ID',
      'this server config has no worker id yet: it comes from the lease in config.workerId (--worker-id-from), ' +
        'which only startIdNode takes; start the config with startIdNode and keep its workerId',
    );
  }
}
