import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Counter } from '../../../src/server/metrics/Counter.js';
import { escapeLabelValue, formatLabels, formatValue } from '../../../src/server/metrics/exposition.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheusText.js';

describe('Prometheus exposition helpers', () => {
  it('GIVEN quotes, backslashes and line feeds in a label value THEN they are escaped', () => {
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    assert.equal(formatLabels(['x', 'y'], ['1', 'q"']), '{x="1",y="q\\""}');
    assert.equal(formatLabels([], []), '');
  });

  it('GIVEN special numbers THEN they are written as Prometheus reads them', () => {
    assert.equal(formatValue(Infinity), '+Inf');
    assert.equal(formatValue(-Infinity), '-Inf');
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(42), '42');
    assert.equal(formatValue(0.001), '0.001');
    assert.equal(Number(formatValue(1e-7)), 1e-7);
  });

  it('GIVEN a label value with a Unicode line separator THEN it reads back (fast-check found it)', () => {
    const counter = new Counter({ name: 'c_total', help: 'h', labelNames: ['v'] });
    counter.labels({ v: '\u2028' }).inc(3);
    assert.equal(sampleValue(parsePrometheusText(counter.render()), 'c_total', { v: '\u2028' }), 3);
  });

  it('GIVEN any label value and help text THEN the output reads back to the same strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (value, help) => {
        const counter = new Counter({ name: 'c_total', help, labelNames: ['v'] });
        counter.labels({ v: value }).inc(3);
        const families = parsePrometheusText(counter.render());
        assert.equal(families.get('c_total')?.help, help);
        assert.equal(sampleValue(families, 'c_total', { v: value }), 3);
      }),
    );
  });
});
