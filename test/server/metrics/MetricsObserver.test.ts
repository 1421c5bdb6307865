import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsObserver, requestOutcomes } from '../../../src/server/metrics/MetricsObserver.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheusText.js';

describe('MetricsObserver', () => {
  it('GIVEN a fresh observer THEN every listener × outcome series exists at 0', () => {
    const families = parsePrometheusText(new MetricsObserver({ startUnixMs: 1_700_000_000_000 }).render());
    for (const listener of ['tcp', 'http']) {
      for (const outcome of requestOutcomes) {
        assert.equal(sampleValue(families, 'flakery_requests_total', { listener, outcome }), 0);
      }
      assert.equal(sampleValue(families, 'flakery_open_connections', { listener }), 0);
      assert.equal(sampleValue(families, 'flakery_request_duration_seconds_count', { listener }), 0);
    }
    assert.equal(sampleValue(families, 'flakery_ids_issued_total'), 0);
    assert.equal(sampleValue(families, 'flakery_start_time_seconds'), 1_700_000_000);
  });

  it('GIVEN hooks called THEN the matching metrics move', () => {
    const metrics = new MetricsObserver({ listeners: ['tcp'] });
    metrics.connectionOpened('tcp');
    metrics.connectionOpened('tcp');
    metrics.connectionClosed('tcp');
    metrics.connectionOpened('http'); // a listener not made up front still works
    metrics.idsIssued(1024, 1_700_000_000_500);
    metrics.idsIssued(6, 1_700_000_001_000);
    metrics.requestFinished('tcp', 'ok', 1030, 0.0015);
    metrics.requestFinished('tcp', 'clock_behind', 0, 0.00001);
    metrics.sequenceExhausted();
    metrics.clockBehind(12);
    metrics.clockBehind(3);

    const families = parsePrometheusText(metrics.render());
    assert.equal(sampleValue(families, 'flakery_open_connections', { listener: 'tcp' }), 1);
    assert.equal(sampleValue(families, 'flakery_open_connections', { listener: 'http' }), 1);
    assert.equal(sampleValue(families, 'flakery_ids_issued_total'), 1030);
    assert.equal(sampleValue(families, 'flakery_last_issued_timestamp_seconds'), 1_700_000_001);
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'tcp', outcome: 'ok' }), 1);
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'tcp', outcome: 'clock_behind' }), 1);
    assert.equal(sampleValue(families, 'flakery_request_duration_seconds_bucket', { listener: 'tcp', le: '0.001' }), 1);
    assert.equal(sampleValue(families, 'flakery_request_duration_seconds_bucket', { listener: 'tcp', le: '0.002' }), 2);
    assert.equal(sampleValue(families, 'flakery_request_duration_seconds_count', { listener: 'tcp' }), 2);
    assert.equal(sampleValue(families, 'flakery_sequence_exhausted_total'), 1);
    assert.equal(sampleValue(families, 'flakery_clock_regressions_total'), 2);
    assert.equal(families.get('flakery_request_duration_seconds')?.type, 'histogram');
    assert.equal(families.get('flakery_open_connections')?.type, 'gauge');
  });
});
