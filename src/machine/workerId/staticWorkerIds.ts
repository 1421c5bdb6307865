import { InvalidOptionError } from '../../errors.js';
import { MAX_WORKER_ID } from './workerIdRange.js';

/**
 * The worker id in environment variable `name` (`env:NODE_APP_INSTANCE` for PM2's instance
 * number). It must be a plain decimal integer 0..1023: anything else is an error naming the
 * variable, never masked or defaulted, because a silently wrong id duplicates IDs.
 */
export function workerIdFromEnv(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  option = '--worker-id-from',
): number {
  const raw = env[name];
  const where = `environment variable ${name} (${option} env:${name})`;
  if (raw === undefined || raw === '') {
    throw new InvalidOptionError(option, `${where} is not set; it must hold an integer from 0 to ${MAX_WORKER_ID}`);
  }
  return parseOrdinal(raw, where, option);
}

/**
 * The worker id at the end of the host name after a `-`: a Kubernetes StatefulSet names its pods
 * `<set>-0`, `<set>-1`, …, so pod `ids-7` gets id 7. Only the first DNS label is read, so a fully
 * qualified `ids-7.ids.default.svc.cluster.local` works too.
 */
export function workerIdFromHostname(hostname: string, option = '--worker-id-from'): number {
  const label = hostname.split('.')[0] ?? '';
  const match = /-(\d+)$/.exec(label);
  const where = `the host name ${JSON.stringify(hostname)} (${option} hostname-ordinal)`;
  if (match === null) {
    throw new InvalidOptionError(
      option,
      `${where} does not end in "-N"; expected a StatefulSet-style name such as "ids-7" with N from 0 to ${MAX_WORKER_ID}`,
    );
  }
  return parseOrdinal(match[1] ?? '', where, option);
}

function parseOrdinal(raw: string, where: string, option: string): number {
  if (!/^\d+$/.test(raw)) {
    throw new InvalidOptionError(
      option,
      `${where} holds ${JSON.stringify(raw)}, expected an integer from 0 to ${MAX_WORKER_ID}`,
    );
  }
  const value = Number(raw);
  if (value > MAX_WORKER_ID) {
    throw new InvalidOptionError(
      option,
      `${where} gives worker id ${raw}, outside the range 0 to ${MAX_WORKER_ID}`,
    );
  }
  return value;
}
