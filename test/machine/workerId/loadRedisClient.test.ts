import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { FlakeryError } from '../../../src/errors.js';
import { loadRedisClient } from '../../../src/machine/workerId/loadRedisClient.js';

/** The error Node's ESM loader gives for a package that is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/node_modules/x.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('loadRedisClient (ioredis, an optional peer dependency)', () => {
  test('GIVEN ioredis installed THEN it gives its Redis class', async () => {
    assert.equal(await loadRedisClient(), Redis);
  });

  test('GIVEN ioredis not installed THEN ERR_MISSING_DEPENDENCY says to npm install ioredis', async () => {
    const missing = notFound('ioredis');
    await assert.rejects(
      loadRedisClient(() => Promise.reject(missing)),
      (err: unknown) => {
        assert.ok(err instanceof FlakeryError);
        assert.equal(err.code, 'ERR_MISSING_DEPENDENCY');
        assert.match(err.message, /--worker-id-from redis:\/\/… needs the ioredis package/);
        assert.match(err.message, /npm install ioredis$/);
        assert.equal(err.cause, missing);
        return true;
      },
    );
  });

  test('GIVEN ioredis installed but one of its own dependencies missing THEN that error is passed on', async () => {
    const broken = notFound('denque');
    await assert.rejects(
      loadRedisClient(() => Promise.reject(broken)),
      (err: unknown) => err === broken,
    );
  });
});
