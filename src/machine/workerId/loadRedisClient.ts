import type { Redis } from 'ioredis';
import { FlakeryError } from '../../errors.js';

/** What `import('ioredis')` gives; injectable so the missing case can be tested. */
export type RedisModuleImporter = () => Promise<{ Redis: typeof Redis }>;

const importIoredis: RedisModuleImporter = () => import('ioredis');

/**
 * The Redis client class, loaded on first use: `ioredis` is an optional peer dependency, so
 * that users who never lease worker ids from Redis do not install a Redis client. When it is
 * not installed this fails with `ERR_MISSING_DEPENDENCY` saying what to install; any other
 * failure to load it (a broken install) is passed on as it is.
 */
export async function loadRedisClient(importer: RedisModuleImporter = importIoredis): Promise<typeof Redis> {
  try {
    return (await importer()).Redis;
  } catch (err) {
    if (!isMissingIoredis(err)) throw err;
    throw new FlakeryError(
      'ERR_MISSING_DEPENDENCY',
      '--worker-id-from redis://… needs the ioredis package, which is not installed: npm install ioredis',
      { cause: err },
    );
  }
}

function isMissingIoredis(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'ioredis'");
}
