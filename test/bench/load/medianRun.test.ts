import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CellResult, medianRun } from '../../../bench/load/runCell.js';

function run(idsPerSecond: number, violations = 0): CellResult {
  return {
    cell: { listener: 'tcp', layout: 'snowflake', idsPerRequest: 1, connections: 1, depth: 1 },
    requestsPerSecond: idsPerSecond,
    idsPerSecond,
    p50Ms: idsPerSecond / 1000,
    p99Ms: 1,
    maxMs: 2,
    serverCores: 1,
    loadCores: 1,
    otherCores: 0,
    loadUtilization: 1,
    violations,
    idsChecked: 10,
    errors: 0,
    spread: 0,
  };
}

describe('medianRun', () => {
  it('GIVEN three runs THEN the middle one by IDs/s stands for the cell, with the spread and the sums of checks', () => {
    const result = medianRun([run(120), run(80, 1), run(100)]);
    assert.equal(result.idsPerSecond, 100);
    assert.equal(result.p50Ms, 0.1, 'the latencies are those of the median run');
    assert.equal(result.spread, 0.4);
    assert.equal(result.violations, 1);
    assert.equal(result.idsChecked, 30);
  });

  it('GIVEN one run THEN it is the result, with no spread', () => {
    assert.equal(medianRun([run(50)]).spread, 0);
  });
});
