import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter } from '../../../src/server/metrics/Counter.js';
import { Gauge } from '../../../src/server/metrics/Gauge.js';
import { Histogram } from '../../../src/server/metrics/Histogram.js';
import { MetricsRegistry } from '../../../src/server/metrics/MetricsRegistry.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheusText.js';

const invalidOption = { code: 'ERR_INVALID_OPTION' };

describe('Counter', () => {
  it('GIVEN a counter without labels THEN it is written at 0 before any increment', () => {
    const counter = new Counter({ name: 'x_total', help: 'Things.' });
    assert.equal(counter.render(), '# HELP x_total Things.\n# TYPE x_total counter\nx_total 0\n');
    counter.inc();
    counter.inc(2.5);
    assert.equal(counter.value, 3.5);
  });

  it('GIVEN a negative or infinite increment THEN it throws and the value stays', () => {
    const counter = new Counter({ name: 'x_total', help: 'Things.' });
    assert.throws(() => counter.inc(-1), invalidOption);
    assert.throws(() => counter.inc(Infinity), invalidOption);
    assert.throws(() => counter.inc(NaN), invalidOption);
    assert.equal(counter.value, 0);
  });

  it('GIVEN labels THEN each combination is its own series, written in first-use order', () => {
    const counter = new Counter({ name: 'r_total', help: 'R.', labelNames: ['a', 'b'] });
    counter.labels({ a: '1', b: 'x' }).inc();
    counter.labels({ b: 'y', a: '1' }).inc(4);
    counter.labels({ a: '1', b: 'x' }).inc();
    assert.equal(counter.render().split('\n').slice(2).join('\n'), 'r_total{a="1",b="x"} 2\nr_total{a="1",b="y"} 4\n');
  });

  it('GIVEN wrong labels THEN it throws naming the metric', () => {
    const counter = new Counter({ name: 'r_total', help: 'R.', labelNames: ['a'] });
    assert.throws(() => counter.labels({} as never), /r_total: label a/);
    assert.throws(() => counter.labels({ a: '1', c: '2' } as never), /no label "c"/);
    assert.throws(() => counter.inc(), /has labels/);
  });

  it('GIVEN an invalid metric or label name THEN construction throws', () => {
    assert.throws(() => new Counter({ name: '1x', help: '' }), invalidOption);
    assert.throws(() => new Counter({ name: 'x', help: '', labelNames: ['__reserved'] }), invalidOption);
    assert.throws(() => new Counter({ name: 'x', help: '', labelNames: ['a-b'] }), invalidOption);
    assert.throws(() => new Counter({ name: 'x', help: '', labelNames: ['a', 'a'] }), invalidOption);
  });
});

describe('Gauge', () => {
  it('GIVEN set, inc and dec THEN the value follows them', () => {
    const gauge = new Gauge({ name: 'g', help: 'G.', labelNames: ['l'] });
    const series = gauge.labels({ l: 'a' });
    series.inc();
    series.inc();
    series.dec();
    assert.equal(series.value, 1);
    const plain = new Gauge({ name: 'p', help: 'P.' });
    plain.set(1.5);
    plain.dec(0.5);
    assert.equal(plain.value, 1);
    assert.equal(sampleValue(parsePrometheusText(gauge.render()), 'g', { l: 'a' }), 1);
  });
});

describe('Histogram', () => {
  it('GIVEN observations THEN buckets are cumulative, +Inf equals the count and sum adds up', () => {
    const histogram = new Histogram({ name: 'h_seconds', help: 'H.', buckets: [0.1, 1, 10] });
    for (const value of [0.05, 0.1, 0.5, 2, 100]) histogram.observe(value);
    histogram.observe(NaN); // ignored
    const families = parsePrometheusText(histogram.render());
    assert.equal(families.get('h_seconds')?.type, 'histogram');
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '0.1' }), 2); // le is inclusive
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '1' }), 3);
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '10' }), 4);
    assert.equal(sampleValue(families, 'h_seconds_bucket', { le: '+Inf' }), 5);
    assert.equal(sampleValue(families, 'h_seconds_count'), 5);
    assert.equal(sampleValue(families, 'h_seconds_sum'), 102.65);
  });

  it('GIVEN labels THEN le comes after them', () => {
    const histogram = new Histogram({ name: 'h', help: 'H.', buckets: [1], labelNames: ['listener'] });
    histogram.labels({ listener: 'tcp' }).observe(0.5);
    assert.match(histogram.render(), /^h_bucket\{listener="tcp",le="1"\} 1$/m);
  });

  it('GIVEN bad buckets or an le label THEN construction throws', () => {
    assert.throws(() => new Histogram({ name: 'h', help: '', buckets: [] }), invalidOption);
    assert.throws(() => new Histogram({ name: 'h', help: '', buckets: [1, 1] }), invalidOption);
    assert.throws(() => new Histogram({ name: 'h', help: '', buckets: [1, Infinity] }), invalidOption);
    assert.throws(() => new Histogram({ name: 'h', help: '', labelNames: ['le'] }), invalidOption);
  });
});

describe('MetricsRegistry', () => {
  it('GIVEN families THEN it writes them in order and refuses a duplicate name', () => {
    const registry = new MetricsRegistry();
    registry.register(new Counter({ name: 'a_total', help: 'A.' }));
    registry.register(new Gauge({ name: 'b', help: 'B.' }));
    assert.throws(() => registry.register(new Gauge({ name: 'b', help: 'B again.' })), invalidOption);
    assert.deepEqual([...parsePrometheusText(registry.render()).keys()], ['a_total', 'b']);
  });
});
