import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { estimateQuantile, FixedHistogram, LATENCY_BUCKETS_SECONDS } from '../../../src/server/metrics/FixedHistogram.js';
import { familyHeader } from '../../../src/server/metrics/exposition.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheusText.js';

const read = (histogram: FixedHistogram) => parsePrometheusText(familyHeader('h_seconds', 'H.', 'histogram') + histogram.render());

describe('FixedHistogram', () => {
  it('GIVEN observations THEN buckets are cumulative, +Inf equals the count and sum adds up', () => {
    const histogram = new FixedHistogram('h_seconds', [0.1, 1, 10]);
    for (const value of [0.05, 0.1, 0.5, 2, 100]) histogram.observe(value);
    histogram.observe(NaN); // ignored
    const families = read(histogram);
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '0.1' }), 2); // le is inclusive
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '1' }), 3);
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '10' }), 4);
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '+Inf' }), 5);
    assert.equal(sampleValue(families, 'h_seconds_count'), 5);
    assert.equal(sampleValue(families, 'h_seconds_sum'), 102.65);
    assert.deepEqual(histogram.cumulativeCounts(), [2, 3, 4, 5]);
  });

  it('GIVEN labels THEN le comes after them, and _sum and _count carry them', () => {
    const histogram = new FixedHistogram('h', [1], 'listener="tcp"');
    histogram.observe(0.5);
    assert.equal(histogram.render(), 'h_bucket{listener="tcp",le="1"} 1\nh_bucket{listener="tcp",le="+Inf"} 1\nh_sum{listener="tcp"} 0.5\nh_count{listener="tcp"} 1\n');
  });
});

describe('estimateQuantile', () => {
  const bounds = [0.001, 0.002, 0.005];
  for (const { title, cumulative, q, expected } of [
    { title: 'no observations: NaN', cumulative: [0, 0, 0, 0], q: 0.99, expected: NaN },
    { title: 'all in the first bucket: linear from 0', cumulative: [100, 100, 100, 100], q: 0.5, expected: 0.0005 },
    { title: 'rank inside the second bucket', cumulative: [50, 100, 100, 100], q: 0.75, expected: 0.0015 },
    { title: 'rank exactly on a bound', cumulative: [50, 100, 100, 100], q: 0.5, expected: 0.001 },
    { title: 'rank in +Inf: the highest finite bound', cumulative: [0, 0, 0, 10], q: 0.99, expected: 0.005 },
    { title: 'p99 of 1,000 with 20 slow ones', cumulative: [980, 980, 1000, 1000], q: 0.99, expected: 0.0035 },
  ]) {
    it(`GIVEN ${title} THEN ${expected}`, () => {
      const got = estimateQuantile(q, bounds, cumulative);
      if (Number.isNaN(expected)) assert.ok(Number.isNaN(got));
      else assert.ok(Math.abs(got - expected) < 1e-12, `${got} vs ${expected}`);
    });
  }

  it('GIVEN any observations THEN the estimate lies in the bucket that holds the rank and grows with q', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 1 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (values, q) => {
        const histogram = new FixedHistogram('h', LATENCY_BUCKETS_SECONDS);
        for (const value of values) histogram.observe(value);
        const cumulative = histogram.cumulativeCounts();
        const estimate = estimateQuantile(q, LATENCY_BUCKETS_SECONDS, cumulative);
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * values.length) - 1)]!;
        const upper = LATENCY_BUCKETS_SECONDS.find((bound) => exact <= bound) ?? 10;
        const lower = [...LATENCY_BUCKETS_SECONDS].reverse().find((bound) => bound < exact) ?? 0;
        assert.ok(estimate >= Math.min(lower, upper) && estimate <= upper, `${estimate} not in [${lower}, ${upper}] for ${exact}`);
        assert.ok(estimateQuantile(Math.min(1, q + 0.1), LATENCY_BUCKETS_SECONDS, cumulative) >= estimate);
      }),
    );
  });
});
