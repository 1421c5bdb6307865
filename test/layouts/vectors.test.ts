import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decode, layouts } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

interface VectorCase {
  layout: 'overt' | 'overt53' | 'snowflake';
  epoch: number;
  unixMs: number;
  sequence: number;
  hardwareId?: string;
  processId?: number;
  workerId?: number;
  datacenterId?: number;
  machineId?: number;
  decimal: string;
  hex: string;
}

// The vectors are vendored so the repository tests itself anywhere; where the shared copy sits
// beside the clone (as in CI), it must be the same file.
const vendored = join(repoRoot, 'test', 'vectors', 'layouts.json');
const shared = join(repoRoot, '..', 'shared', 'vectors', 'layouts.json');
const vectors = JSON.parse(readFileSync(vendored, 'utf8')) as { cases: VectorCase[]; epochs: Record<string, number> };

function nodeOf(c: VectorCase): unknown {
  if (c.layout === 'snowflake') return { workerId: c.workerId };
  return { hardwareId: Uint8Array.from(Buffer.from(c.hardwareId!, 'hex')), processId: c.processId! % 65536 };
}

describe('layout test vectors', () => {
  it('the vendored vectors equal the shared ones where those are present', { skip: !existsSync(shared) && 'no ../shared beside this clone' }, () => {
    assert.deepEqual(JSON.parse(readFileSync(shared, 'utf8')), vectors);
  });

  it('cover every layout', () => {
    assert.deepEqual(new Set(vectors.cases.map((c) => c.layout)), new Set(['overt', 'overt53', 'snowflake']));
  });

  for (const [index, c] of vectors.cases.entries()) {
    const layout = layouts[c.layout];
    const title = `${c.layout} #${index}: ${c.hex}`;

    it(`${title}: fields -> ID`, () => {
      const encoder = layout.encoder(nodeOf(c) as never);
      const elapsedMs = c.unixMs - c.epoch;
      assert.equal(encoder.toBigInt(elapsedMs, c.sequence).toString(), c.decimal);
      const bytes = new Uint8Array(layout.byteLength);
      encoder.writeRun(new DataView(bytes.buffer), 0, elapsedMs, c.sequence, 1);
      assert.equal(Buffer.from(bytes).toString('hex'), c.hex);
    });

    it(`${title}: ID -> fields`, () => {
      const readings = [
        decode(c.decimal, { layout: c.layout, epoch: c.epoch, format: 'decimal' }),
        decode(c.hex, { layout: c.layout, epoch: c.epoch }),
        decode(`0x${c.hex}`, { layout: c.layout, epoch: c.epoch }),
        decode(BigInt(c.decimal), { layout: c.layout, epoch: c.epoch }),
        decode(Uint8Array.from(Buffer.from(c.hex, 'hex')), { layout: c.layout, epoch: c.epoch }),
      ];
      for (const fields of readings) {
        assert.equal(fields.unixMs, c.unixMs);
        assert.equal(fields.time, new Date(c.unixMs).toISOString());
        assert.equal(fields.sequence, c.sequence);
        assert.equal(fields.id, c.decimal);
        assert.equal(fields.layout, c.layout);
        if (fields.layout === 'snowflake') {
          assert.equal(fields.workerId, c.workerId);
          if (c.datacenterId !== undefined) {
            assert.equal(fields.datacenterId, c.datacenterId);
            assert.equal(fields.machineId, c.machineId);
          }
        } else {
          assert.equal(fields.hardwareId, c.hardwareId);
          assert.equal(fields.processId, c.processId! % 65536);
        }
      }
    });
  }

  it('name the same epochs as the library', async () => {
    const { epochs } = await import('../../src/index.js');
    assert.deepEqual({ ...epochs }, vectors.epochs);
  });
});
