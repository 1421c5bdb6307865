import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quickIdsCount } from '../../../src/server/http/quickIdsCount.js';

describe('quickIdsCount', () => {
  const rows: { target: string | undefined; expected: number | undefined }[] = [
    { target: '/v1/ids', expected: 1 },
    { target: '/v1/ids?count=1', expected: 1 },
    { target: '/v1/ids?count=42', expected: 42 },
    { target: '/v1/ids?count=0100', expected: 100 },
    { target: '/v1/ids?count=1000', expected: 1000 },
    // Everything else is the general path's to read (and refuse).
    { target: '/v1/ids?count=1001', expected: undefined }, // over maxCount
    { target: '/v1/ids?count=0', expected: undefined },
    { target: '/v1/ids?count=', expected: undefined },
    { target: '/v1/ids?count=1x', expected: undefined },
    { target: '/v1/ids?count=-1', expected: undefined },
    { target: '/v1/ids?count=00000001', expected: undefined }, // more digits than it reads
    { target: '/v1/ids?count=2&format=hex', expected: undefined },
    { target: '/v1/ids?format=hex', expected: undefined },
    { target: '/v1/ids?', expected: undefined },
    { target: '/v1/ids/123', expected: undefined },
    { target: '/V1/IDS', expected: undefined },
    { target: 'http://localhost/v1/ids', expected: undefined },
    { target: undefined, expected: undefined },
  ];
  for (const { target, expected } of rows) {
    it(`GIVEN ${target} THEN ${expected}`, () => assert.equal(quickIdsCount(target, 1000), expected));
  }
});
