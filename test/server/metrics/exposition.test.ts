import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { familyHeader, formatValue, singleSampleHead } from '../../../src/server/metrics/exposition.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheusText.js';

describe('Prometheus exposition helpers', () => {
  it('GIVEN special numbers THEN they are written as Prometheus reads them', () => {
    assert.equal(formatValue(Infinity), '+Inf');
    assert.equal(formatValue(-Infinity), '-Inf');
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(42), '42');
    assert.equal(formatValue(0.001), '0.001');
    assert.equal(Number(formatValue(1e-7)), 1e-7);
  });

  it('GIVEN a family of one sample THEN HELP, TYPE and the sample read back', () => {
    assert.equal(familyHeader('x_total', 'Things.', 'counter'), '# HELP x_total Things.\n# TYPE x_total counter\n');
    const families = parsePrometheusText(`${singleSampleHead('g', 'A gauge.', 'gauge')}1.5\n`);
    assert.equal(families.get('g')?.type, 'gauge');
    assert.equal(families.get('g')?.help, 'A gauge.');
    assert.equal(sampleValue(families, 'g'), 1.5);
  });
});
