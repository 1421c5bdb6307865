import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencySamples, mergeSorted, percentile } from '../../../bench/load/LatencySamples.js';

describe('LatencySamples', () => {
  it('GIVEN more samples than the first buffer holds THEN it keeps them all, in order', () => {
    const samples = new LatencySamples();
    for (let i = 0; i < 40_000; i++) samples.add(i);
    const array = samples.toArray();
    assert.equal(array.length, 40_000);
    assert.equal(array[39_999], 39_999);
  });

  it('GIVEN parts from several workers THEN the merge is sorted numerically', () => {
    assert.deepEqual([...mergeSorted([Float64Array.of(10, 2), Float64Array.of(1.5, 100)])], [1.5, 2, 10, 100]);
  });

  it('GIVEN 1..100 THEN nearest-rank percentiles are exact', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 50), 50);
    assert.equal(percentile(sorted, 99), 99);
    assert.equal(percentile(sorted, 100), 100);
    assert.equal(percentile(sorted, 0), 1);
    assert.ok(Number.isNaN(percentile(new Float64Array(0), 50)));
  });
});
