import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionCaps, reservedFileDescriptors } from '../../src/server/connectionCaps.js';
import { readOpenFileLimit } from '../../src/server/openFileLimit.js';

describe('connectionCaps', () => {
  it('GIVEN the default cap THEN it is lowered to what the open-file limit leaves, shared by the listeners', () => {
    const rows: [number, number, number][] = [
      // [open-file limit, listeners, cap per listener]
      [100, 1, 68],
      [100, 2, 34],
      [1024, 2, 461],
      [1_048_576, 1, 10_000],
      [40, 1, 8],
      [20, 2, 1],
    ];
    for (const [openFileLimit, listeners, perListener] of rows) {
      const caps = connectionCaps({ maxConnections: 10_000, from: undefined, listeners, openFileLimit });
      assert.equal(caps.perListener, perListener, `limit ${openFileLimit}, ${listeners} listeners`);
      assert.match(caps.note!, new RegExp(`^at most ${perListener} connections.*ulimit -n\\) is ${openFileLimit}, ${reservedFileDescriptors(openFileLimit)} kept`));
      assert.equal(caps.warning, undefined);
    }
  });

  it('GIVEN an explicit cap above what the limit leaves THEN it stands, with a warning naming the flag and what fits', () => {
    const caps = connectionCaps({ maxConnections: 500, from: '--max-connections', listeners: 2, openFileLimit: 1024 });
    assert.equal(caps.perListener, 500);
    assert.match(caps.warning!, /^--max-connections 500 is more than the open-file limit \(ulimit -n\) is 1024, 102 kept .* \(461 on each of the 2 listeners\).*Lower --max-connections, or raise the limit/);
  });

  it('GIVEN an explicit cap that fits, or no known limit THEN it stands, no warning', () => {
    assert.deepEqual(connectionCaps({ maxConnections: 50, from: '--max-connections', listeners: 1, openFileLimit: 1024 }).warning, undefined);
    assert.deepEqual(connectionCaps({ maxConnections: 10_000, from: undefined, listeners: 2, openFileLimit: undefined }), { perListener: 10_000, note: undefined, warning: undefined });
  });
});

describe('readOpenFileLimit', () => {
  it('GIVEN /proc/self/limits text THEN the soft limit; unlimited or absent THEN undefined', () => {
    const line = (soft: string) => `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 4096                 files\n`;
    assert.equal(readOpenFileLimit(line('1024')), 1024);
    assert.equal(readOpenFileLimit(line('unlimited')), undefined);
    assert.equal(readOpenFileLimit(''), undefined);
  });
});
