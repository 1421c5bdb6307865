import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ManualClock, createGenerator, decode, formatId, layouts } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

interface UuidV7Case {
  unixMs: number;
  sequence: number;
  hardwareId: string;
  processId: number;
  storedProcessId: number;
  decimal: string;
  hex: string;
  uuid: string;
}

interface Vectors {
  cases: UuidV7Case[];
  foreign: { uuid: string; unixMs: number; time: string; randA: number; randB: string }[];
  rejects: { uuid: string; version: number }[];
}

// Hand-computed from RFC 9562's bit layout (see the file's "about"), not by this code.
const vectors = JSON.parse(readFileSync(join(repoRoot, 'test', 'vectors', 'uuidv7.json'), 'utf8')) as Vectors;
const layout = layouts.uuidv7;

describe('uuidv7 test vectors', () => {
  for (const c of vectors.cases) {
    const node = { hardwareId: Uint8Array.from(Buffer.from(c.hardwareId, 'hex')), processId: c.storedProcessId };

    it(`${c.uuid}: fields -> ID`, () => {
      const encoder = layout.encoder(node);
      assert.equal(encoder.toBigInt(c.unixMs, c.sequence).toString(), c.decimal);
      const bytes = new Uint8Array(16);
      encoder.writeRun(new DataView(bytes.buffer), 0, c.unixMs, c.sequence, 1);
      assert.equal(Buffer.from(bytes).toString('hex'), c.hex);
      assert.equal(formatId(BigInt(c.decimal), 16, 'uuid'), c.uuid);
    });

    it(`${c.uuid}: ID -> fields, from a UUID, hex and decimal`, () => {
      const expected = {
        layout: 'uuidv7',
        id: c.decimal,
        unixMs: c.unixMs,
        time: new Date(c.unixMs).toISOString(),
        sequence: c.sequence,
        hardwareId: c.hardwareId,
        processId: c.storedProcessId,
      };
      assert.deepEqual(decode(c.uuid, { layout: 'uuidv7' }), expected);
      assert.deepEqual(decode(c.uuid.toUpperCase(), { layout: 'uuidv7' }), expected);
      assert.deepEqual(decode(c.hex, { layout: 'uuidv7' }), expected);
      assert.deepEqual(decode(c.decimal, { layout: 'uuidv7', format: 'decimal' }), expected);
    });
  }

  it('a generator given the process id of a case stores it modulo 2^14', () => {
    for (const c of vectors.cases) {
      const gen = createGenerator({ layout: 'uuidv7', hardwareId: c.hardwareId, processId: c.processId, clock: new ManualClock(c.unixMs) });
      if (c.sequence === 0) assert.equal(gen.next().toString(), c.decimal);
      assert.deepEqual(gen.node, { hardwareId: Uint8Array.from(Buffer.from(c.hardwareId, 'hex')), processId: c.storedProcessId });
    }
  });

  for (const f of vectors.foreign) {
    it(`${f.uuid} (another generator's) decodes to its time, with no node fields`, () => {
      assert.deepEqual(decode(f.uuid, { layout: 'uuidv7', origin: 'any' }), {
        layout: 'uuidv7',
        origin: 'any',
        id: BigInt(`0x${f.uuid.replaceAll('-', '')}`).toString(),
        unixMs: f.unixMs,
        time: f.time,
        randA: f.randA,
        randB: f.randB,
        node: 'unknown',
      });
      assert.equal(decode(f.uuid, { layout: 'uuidv7' }).time, f.time);
    });
  }

  for (const r of vectors.rejects) {
    it(`${r.uuid} is refused with ERR_INVALID_ID, named by what is wrong`, () => {
      for (const origin of ['flakery', 'any'] as const) {
        assert.throws(
          () => decode(r.uuid, { layout: 'uuidv7', origin }),
          (error: Error & { code?: string }) => {
            assert.equal(error.code, 'ERR_INVALID_ID');
            assert.match(error.message, r.version === 7 ? /variant bits/ : new RegExp(`version ${r.version} UUID.*version 7 only`));
            return true;
          },
        );
      }
    });
  }
});
