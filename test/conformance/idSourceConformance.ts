import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IdSource } from '../../src/client/IdSource.js';
import { FlakeryError } from '../../src/errors.js';

/** Makes a fresh source; `cleanup` (optional) releases what the source needed (a server…). */
export type IdSourceFactory = () => Promise<{ source: IdSource; expectedIdSize: number; cleanup?: () => Promise<void> }>;

/**
 * The promises every IdSource keeps (hono's `runTest({ newRouter })` pattern): one suite, run
 * against each implementation — the local generator, the TCP client, later the HTTP client.
 */
export function runIdSourceConformance(name: string, factory: IdSourceFactory): void {
  describe(`IdSource conformance: ${name}`, () => {
    let source: IdSource;
    let expectedIdSize: number;
    let cleanup: (() => Promise<void>) | undefined;
    before(async () => {
      ({ source, expectedIdSize, cleanup } = await factory());
    });
    after(async () => {
      await source.close();
      await cleanup?.();
    });

    it('reports its ID size', () => {
      assert.equal(source.idSize, expectedIdSize);
    });

    it('next() gives increasing IDs that fit the ID size', async () => {
      const a = await source.next();
      const b = await source.next();
      assert.equal(typeof a, 'bigint');
      assert.ok(b > a);
      assert.ok(a >= 0n && b >> BigInt(8 * expectedIdSize) === 0n);
    });

    for (const count of [1, 16, 1000, 100_000]) {
      it(`nextBatch(${count}) gives ${count} unique, strictly increasing IDs after the previous ones`, async () => {
        const before = await source.next();
        const ids = await source.nextBatch(count);
        assert.equal(ids.length, count);
        assert.ok(ids[0]! > before);
        for (let i = 1; i < ids.length; i++) if (!(ids[i]! > ids[i - 1]!)) assert.fail(`ID ${i} is not above ID ${i - 1}`);
      });

      it(`nextBytes(${count}) gives ${count} IDs of idSize bytes, strictly increasing`, async () => {
        const bytes = await source.nextBytes(count);
        assert.ok(bytes instanceof Uint8Array);
        assert.equal(bytes.length, count * expectedIdSize);
        const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
        for (let at = expectedIdSize; at < view.length; at += expectedIdSize) {
          const previous = view.subarray(at - expectedIdSize, at);
          if (Buffer.compare(previous, view.subarray(at, at + expectedIdSize)) >= 0) assert.fail(`ID ${at / expectedIdSize} is not above the one before`);
        }
      });
    }

    it('nextBatch(0) and nextBytes(0) are empty', async () => {
      assert.deepEqual(await source.nextBatch(0), []);
      assert.equal((await source.nextBytes(0)).length, 0);
    });

    it('concurrent requests all succeed, each increasing, none sharing an ID', async () => {
      const results = await Promise.all([
        ...Array.from({ length: 20 }, () => source.next().then((id) => [id])),
        ...Array.from({ length: 10 }, (_, i) => source.nextBatch(1 + i * 50)),
      ]);
      for (const ids of results) for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
      const all = results.flat();
      assert.equal(new Set(all).size, all.length);
    });

    it('rejects a bad count with ERR_INVALID_OPTION', async () => {
      for (const bad of [-1, 1.5, Number.NaN]) {
        await assert.rejects(source.nextBatch(bad), (error: unknown) => error instanceof FlakeryError && error.code === 'ERR_INVALID_OPTION');
      }
    });

    it('after close() rejects with ERR_CLIENT_CLOSED', async () => {
      const { source: other, cleanup: otherCleanup } = await factory();
      await other.close();
      await assert.rejects(other.next(), { code: 'ERR_CLIENT_CLOSED' });
      await otherCleanup?.();
    });
  });
}
