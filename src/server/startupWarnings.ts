import { containerIdentityWarning } from '../machine/hardwareId/containerIdentityWarning.js';
import { networkMacs } from '../machine/hardwareId/networkMacs.js';
import { parseRedisUrl } from '../machine/workerId/redisUrl.js';
import { formatHostPort } from '../net/hostPort.js';
import type { ServerConfig } from './ServerConfig.js';

/**
 * What an operator should hear about a config that serves but is risky: no token on every
 * interface, a Redis password readable in `ps`, a container's shared identity. Never a secret.
 */
export function startupWarnings(config: ServerConfig): string[] {
  const result: string[] = [...(config.settingWarnings ?? [])];
  const anyInterface = ['0.0.0.0', '::', '', '[::]'].includes(config.listen.host);
  if (anyInterface && config.authToken === undefined) {
    result.push(
      `listening on every interface (${formatHostPort(config.listen)}) without an auth token: anyone who can reach ` +
        'this port gets IDs. Set a token, or listen on a private address.',
    );
  }
  const workerIdSpec = config.workerId?.source === 'spec' ? config.workerId : undefined;
  if (workerIdSpec && /^rediss?:\/\//.test(workerIdSpec.spec) && parseRedisUrl(workerIdSpec.spec, workerIdSpec.from).password !== undefined) {
    result.push(
      `the Redis password in ${workerIdSpec.from} can be read by every user of this machine with ps; ` +
        'give it with --redis-password-file or FLAKERY_REDIS_PASSWORD instead',
    );
  }
  if (config.hardwareIdType !== undefined) {
    let macs: ReturnType<typeof networkMacs> = [];
    try {
      macs = networkMacs();
    } catch {
      // No interfaces to look at: nothing to warn about.
    }
    const warning = containerIdentityWarning(process.pid, macs, config.hardwareIdType);
    if (warning) result.push(warning);
  }
  return result;
}
