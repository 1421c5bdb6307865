import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpDate } from '../../../src/server/http/httpDate.js';

describe('httpDate', () => {
  it('GIVEN a time THEN the IMF-fixdate node:http writes, to the second', () => {
    assert.equal(httpDate(Date.UTC(2024, 0, 1, 12, 34, 56, 789)), 'Mon, 01 Jan 2024 12:34:56 GMT');
  });

  it('GIVEN times within one second THEN one value; the next second THEN the next value', () => {
    const start = Date.UTC(2030, 5, 15, 0, 0, 0);
    assert.equal(httpDate(start), 'Sat, 15 Jun 2030 00:00:00 GMT');
    assert.equal(httpDate(start + 999), 'Sat, 15 Jun 2030 00:00:00 GMT');
    assert.equal(httpDate(start + 1000), 'Sat, 15 Jun 2030 00:00:01 GMT');
    assert.equal(httpDate(start - 1), 'Fri, 14 Jun 2030 23:59:59 GMT');
  });

  it('GIVEN no argument THEN now', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const parsed = Date.parse(httpDate());
    assert.ok(parsed >= before && parsed <= Date.now(), httpDate());
  });
});
