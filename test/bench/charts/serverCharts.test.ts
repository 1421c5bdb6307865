import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ServerRecord, serverCharts } from '../../../bench/charts/serverCharts.js';
import { GO_LAST_RUN_DATE } from '../../../bench/load/goLastRun.js';
import type { CellLayout } from '../../../bench/load/plan.js';
import type { CellResult } from '../../../bench/load/runCell.js';

function cell(layout: CellLayout, idsPerRequest: number, connections: number, idsPerSecond: number): CellResult {
  return {
    cell: { listener: 'tcp', layout, idsPerRequest, connections, depth: 1 },
    requestsPerSecond: idsPerSecond / idsPerRequest,
    idsPerSecond,
    p50Ms: 0.1,
    p99Ms: 0.5,
    maxMs: 1,
    serverCores: 1,
    loadCores: 1,
    otherCores: 0,
    loadUtilization: 1,
    violations: layout.startsWith('go-') ? 7 : 0,
    idsChecked: 100,
    errors: 0,
    spread: 0,
  };
}

function record(results: CellResult[]): ServerRecord {
  return {
    context: { date: '2026-12-01', cpu: 'AMD EPYC', cores: 2, memoryGiB: 24, node: 'v20.20.2', os: 'Linux', loadAtStart: 0.1, loadAtEnd: 0.2 },
    settings: { durationMs: 2000, warmupMs: 500, repeats: 3, load: 'native', observer: 'metrics', pinned: false, goPeer: false },
    results,
  };
}

const barValues = (svg: string): number[] => [...svg.matchAll(/class="bar" data-value="([^"]+)"/g)].map((m) => Number(m[1]));

describe('serverCharts', () => {
  it('GIVEN a run without the Go server THEN the Go bars are its last measured figures, labelled with their date', () => {
    const [single, batches] = serverCharts(record([cell('snowflake', 1, 8, 70_000), cell('floor', 1, 8, 65_000), cell('snowflake', 1000, 8, 3_900_000)]));
    assert.ok(single !== undefined && batches !== undefined);
    assert.equal(single.file, 'bench-server-single.svg');
    assert.match(single.svg, new RegExp(`Go overt-flake default \\(run of ${GO_LAST_RUN_DATE}\\)`));
    const values = barValues(single.svg);
    const at = values.indexOf(70_000);
    assert.deepEqual(values.slice(at, at + 4), [70_000, 65_000, 58_800, 54_000], 'TCP 1×8: Flakery, floor, then Go default and twitter');
    assert.match(batches.svg, /snowflake limit 4\.096 M\/s/);
    assert.ok(barValues(batches.svg).includes(3_900_000));
  });

  it('GIVEN a run with the Go server THEN its own Go figures are drawn, and none from the last run', () => {
    const [single] = serverCharts(record([cell('snowflake', 1, 8, 70_000), cell('go-overt', 1, 8, 61_000)]));
    assert.ok(single !== undefined);
    assert.match(single.svg, /Go overt-flake default \(this run\)/);
    assert.doesNotMatch(single.svg, new RegExp(GO_LAST_RUN_DATE));
    assert.deepEqual(barValues(single.svg), [70_000, 61_000]);
    assert.match(single.svg, /7 repeats/);
  });
});
