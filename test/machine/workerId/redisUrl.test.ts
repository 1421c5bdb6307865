import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRedisUrl } from '../../../src/machine/workerId/redisUrl.js';

describe('parseRedisUrl', () => {
  test('GIVEN a full URL THEN every part is read and the display drops the credentials', () => {
    assert.deepEqual(parseRedisUrl('redis://flakery:s%40cret@cache.internal:6380/2'), {
      host: 'cache.internal',
      port: 6380,
      db: 2,
      tls: false,
      username: 'flakery',
      password: 's@cret',
      display: 'redis://cache.internal:6380/2',
    });
  });

  test('GIVEN no port, db or user THEN the defaults', () => {
    assert.deepEqual(parseRedisUrl('rediss://:pw@10.0.0.5'), {
      host: '10.0.0.5',
      port: 6379,
      db: 0,
      tls: true,
      password: 'pw',
      display: 'rediss://10.0.0.5',
    });
  });

  test('GIVEN an IPv6 host THEN the brackets are removed for connecting', () => {
    const address = parseRedisUrl('redis://[::1]:7000/1');
    assert.equal(address.host, '::1');
    assert.equal(address.display, 'redis://[::1]:7000/1');
  });

  const bad: Array<[string, RegExp]> = [
    ['redis://:pw@host/abc', /database in redis:\/\/host\/abc must be a non-negative integer/],
    ['redis://:pw@host/-1', /must be a non-negative integer/],
    ['redis://:pw@host/0?password=x', /may not have a query/],
    ['redis://:pw@', /not a valid Redis URL|has no host/],
    ['http://:pw@host', /expected a redis:\/\/ or rediss:\/\/ URL/],
  ];
  for (const [spec, problem] of bad) {
    test(`GIVEN ${spec} THEN InvalidOptionError without the password`, () => {
      assert.throws(
        () => parseRedisUrl(spec),
        (err: unknown) =>
          (err as { code?: string }).code === 'ERR_INVALID_OPTION' &&
          problem.test((err as Error).message) &&
          !(err as Error).message.includes('pw'),
      );
    });
  }
});
