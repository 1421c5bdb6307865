import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LATENCY_BUCKETS_SECONDS } from '../../../src/server/metrics/FixedHistogram.js';
import { MetricsObserver, requestOutcomes } from '../../../src/server/metrics/MetricsObserver.js';
import type { ListenerKind } from '../../../src/server/ServerObserver.js';
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

  it('GIVEN worker id events THEN the worker id families appear with the first and follow the last', () => {
    const metrics = new MetricsObserver({ processMetrics: false });
    assert.equal(parsePrometheusText(metrics.render()).has('flakery_worker_id'), false);
    const event = { workerId: 7, source: 'config' } as const;
    metrics.workerIdChanged({ ...event, kind: 'acquired', state: 'held' });
    metrics.workerIdChanged({ ...event, kind: 'lost', state: 'lost', reason: 'lease expired' });
    const families = parsePrometheusText(metrics.render());
    assert.equal(sampleValue(families, 'flakery_worker_id'), 7);
    assert.equal(sampleValue(families, 'flakery_worker_id_held'), 0);
    assert.equal(sampleValue(families, 'flakery_worker_id_events_total', { event: 'acquired' }), 1);
    assert.equal(sampleValue(families, 'flakery_worker_id_events_total', { event: 'lost' }), 1);
    assert.equal(sampleValue(families, 'flakery_worker_id_events_total', { event: 'released' }), 0);
    assert.deepEqual(metrics.snapshot().workerId, { id: 7, held: false, events: { acquired: 1, lost: 1, regained: 0, changed: 0, released: 0 } });
  });

  it('GIVEN requests THEN snapshot() gives the counters as numbers and a p99 from the buckets', () => {
    const metrics = new MetricsObserver({ startUnixMs: 1_700_000_000_000, processMetrics: false });
    assert.ok(Number.isNaN(metrics.snapshot().requestDuration.tcp.p99Seconds));
    metrics.idsIssued(40, 1_700_000_000_250);
    for (let i = 0; i < 98; i++) metrics.requestFinished('tcp', 'ok', 1, 0.0003); // in (0.25 ms, 0.5 ms]
    metrics.requestFinished('tcp', 'too_large', 0, 0.003); // in (2 ms, 5 ms]
    metrics.requestFinished('http', 'too_large', 0, 0.003);
    metrics.requestFinished('http', 'auth_failed', 0, 0.0001);
    metrics.connectionOpened('http');

    const snapshot = metrics.snapshot();
    assert.equal(snapshot.idsIssued, 40);
    assert.equal(snapshot.lastIssuedUnixMs, 1_700_000_000_250);
    assert.equal(snapshot.startUnixMs, 1_700_000_000_000);
    assert.equal(snapshot.requests.tcp.ok, 98);
    assert.equal(snapshot.requests.http.ok, 0);
    assert.deepEqual(snapshot.requestsByOutcome, { ...Object.fromEntries(requestOutcomes.map((o) => [o, 0])), ok: 98, too_large: 2, auth_failed: 1 });
    assert.deepEqual(snapshot.openConnections, { tcp: 0, http: 1 });
    assert.equal(snapshot.requestDuration.tcp.count, 99);
    // rank 98.01 of 99 falls in the bucket (2 ms, 5 ms] holding only the 99th: 2 ms + 3 ms × 0.01
    assert.ok(Math.abs(snapshot.requestDuration.tcp.p99Seconds - 0.00203) < 1e-12);
    assert.equal(snapshot.requestDuration.tcp.cumulative.length, LATENCY_BUCKETS_SECONDS.length + 1);
    // the same numbers as /metrics shows
    const families = parsePrometheusText(metrics.render());
    assert.equal(sampleValue(families, 'flakery_request_duration_seconds_bucket', { listener: 'tcp', le: '0.0005' }), snapshot.requestDuration.tcp.cumulative[2]);
    assert.equal(sampleValue(families, 'flakery_request_duration_seconds_sum', { listener: 'tcp' }), snapshot.requestDuration.tcp.sumSeconds);
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'http', outcome: 'auth_failed' }), 1);
  });

  it('GIVEN any sequence of hook calls THEN /metrics is well formed and shows what snapshot() shows', () => {
    const listener = fc.constantFrom<ListenerKind>('tcp', 'http');
    const call = fc.oneof(
      fc.tuple(fc.constant('open' as const), listener),
      fc.tuple(fc.constant('close' as const), listener),
      fc.tuple(fc.constant('request' as const), listener, fc.constantFrom(...requestOutcomes), fc.double({ min: 0, max: 20, noNaN: true })),
      fc.tuple(fc.constant('ids' as const), fc.nat(5000), fc.nat()),
      fc.tuple(fc.constant('exhausted' as const)),
      fc.tuple(fc.constant('behind' as const)),
    );
    fc.assert(
      fc.property(fc.array(call), fc.subarray<ListenerKind>(['tcp', 'http']), (calls, listeners) => {
        const metrics = new MetricsObserver({ listeners, processMetrics: false });
        for (const c of calls) {
          if (c[0] === 'open') metrics.connectionOpened(c[1]);
          else if (c[0] === 'close') metrics.connectionClosed(c[1]);
          else if (c[0] === 'request') metrics.requestFinished(c[1], c[2], 0, c[3]);
          else if (c[0] === 'ids') metrics.idsIssued(c[1], c[2]);
          else if (c[0] === 'exhausted') metrics.sequenceExhausted();
          else metrics.clockBehind(1);
        }
        const families = parsePrometheusText(metrics.render());
        const snapshot = metrics.snapshot();
        assert.equal(sampleValue(families, 'flakery_ids_issued_total'), snapshot.idsIssued);
        assert.equal(sampleValue(families, 'flakery_sequence_exhausted_total'), snapshot.sequenceExhausted);
        assert.equal(sampleValue(families, 'flakery_clock_regressions_total'), snapshot.clockRegressions);
        for (const l of ['tcp', 'http'] as const) {
          const shown = listeners.includes(l) || calls.some((c) => c[1] === l && ['open', 'close', 'request'].includes(c[0]));
          assert.equal(families.get('flakery_open_connections')!.samples.some((s) => s.labels['listener'] === l), shown);
          if (!shown) continue;
          assert.equal(sampleValue(families, 'flakery_open_connections', { listener: l }), snapshot.openConnections[l]);
          assert.equal(sampleValue(families, 'flakery_request_duration_seconds_count', { listener: l }), snapshot.requestDuration[l].count);
          assert.equal(sampleValue(families, 'flakery_request_duration_seconds_bucket', { listener: l, le: '+Inf' }), snapshot.requestDuration[l].count);
          for (const outcome of requestOutcomes) {
            assert.equal(sampleValue(families, 'flakery_requests_total', { listener: l, outcome }), snapshot.requests[l][outcome]);
          }
        }
      }),
    );
  });
});
