import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MetricsObserver } from '../../../src/server/metrics/MetricsObserver.js';
import { ProcessMetrics } from '../../../src/server/metrics/ProcessMetrics.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheusText.js';

describe('ProcessMetrics', () => {
  it('GIVEN a running process THEN the prom-client process and nodejs families are there, with sane values', () => {
    const metrics = new ProcessMetrics();
    try {
      const families = parsePrometheusText(metrics.render());
      for (const [name, type] of [
        ['process_cpu_user_seconds_total', 'counter'],
        ['process_cpu_system_seconds_total', 'counter'],
        ['process_cpu_seconds_total', 'counter'],
        ['process_resident_memory_bytes', 'gauge'],
        ['process_start_time_seconds', 'gauge'],
        ['nodejs_eventloop_lag_seconds', 'gauge'],
        ['nodejs_eventloop_lag_p99_seconds', 'gauge'],
        ['nodejs_heap_size_used_bytes', 'gauge'],
        ['nodejs_heap_size_total_bytes', 'gauge'],
        ['nodejs_gc_duration_seconds', 'histogram'],
      ] as const) {
        assert.equal(families.get(name)?.type, type, name);
      }
      const user = sampleValue(families, 'process_cpu_user_seconds_total');
      const system = sampleValue(families, 'process_cpu_system_seconds_total');
      assert.ok(user > 0);
      assert.ok(Math.abs(sampleValue(families, 'process_cpu_seconds_total') - (user + system)) < 1e-9);
      assert.ok(sampleValue(families, 'process_resident_memory_bytes') > 1e6);
      const started = sampleValue(families, 'process_start_time_seconds');
      assert.ok(Math.abs(started - (Date.now() / 1000 - process.uptime())) <= 1, `started ${started}`); // whole seconds
      assert.ok(sampleValue(families, 'nodejs_heap_size_used_bytes') <= sampleValue(families, 'nodejs_heap_size_total_bytes'));
      assert.ok(sampleValue(families, 'nodejs_eventloop_lag_seconds') >= 0);
      assert.equal(sampleValue(families, 'nodejs_gc_duration_seconds_count', { kind: 'major' }) >= 0, true);
      if (process.platform === 'linux') {
        const open = sampleValue(families, 'process_open_fds');
        assert.ok(open > 0 && open <= readdirSync('/proc/self/fd').length + 16, `${open} open fds`);
        assert.ok(sampleValue(families, 'process_max_fds') >= open);
      }
    } finally {
      metrics.close();
    }
  });

  it('GIVEN a full collection THEN it is timed under kind="major"', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const metrics = new ProcessMetrics();
    const majors = () => sampleValue(parsePrometheusText(metrics.render()), 'nodejs_gc_duration_seconds_count', { kind: 'major' });
    try {
      collect();
      // GC entries reach observers on a later turn of the loop
      for (let turn = 0; turn < 100 && majors() === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
      assert.ok(majors() >= 1);
    } finally {
      metrics.close();
    }
  });

  it('GIVEN a MetricsObserver THEN the process families follow its own, and close() is idempotent', () => {
    const metrics = new MetricsObserver();
    const names = [...parsePrometheusText(metrics.render()).keys()];
    assert.ok(names.indexOf('flakery_start_time_seconds') < names.indexOf('process_cpu_user_seconds_total'));
    metrics.close();
    metrics.close();
    assert.ok(parsePrometheusText(metrics.render()).has('process_resident_memory_bytes')); // still renders
    assert.equal(parsePrometheusText(new MetricsObserver({ processMetrics: false }).render()).has('process_cpu_seconds_total'), false);
  });
});
