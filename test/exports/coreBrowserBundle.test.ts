import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { repoRoot } from '../support/paths.js';

/** flakery/core bundled as a browser would load it: one script that sets `globalThis.flakery`. */
async function browserBundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(repoRoot, 'build', 'src', 'exports', 'core.js')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'flakery',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Runs `body` after the bundle in a fresh context with no Node globals; its value comes back as JSON. */
function runInBrowserLike(bundle: string, body: string): unknown {
  return JSON.parse(runInNewContext(`${bundle}\n;JSON.stringify((() => { ${body} })())`) as string);
}

describe('flakery/core in a browser', () => {
  it('GIVEN the core bundled for the browser THEN it makes, orders and decodes IDs with no Node global', async () => {
    const bundle = await browserBundle();
    const out = runInBrowserLike(
      bundle,
      `
      const clock = { now: () => 1700000000000 };
      const snow = flakery.createGenerator({ layout: 'snowflake', machineId: 5, clock });
      const snowIds = Array.from({ length: 10 }, () => snow.next());
      const uuid = flakery.createGenerator({ layout: 'uuidv7', hardwareId: '0242ac110002', processId: 7, clock });
      const uuidIds = Array.from({ length: 3 }, () => uuid.next());
      return {
        globals: [typeof process, typeof Buffer, typeof require],
        snowIncreasing: snowIds.every((id, i) => i === 0 || id > snowIds[i - 1]),
        snow: snowIds.map((id) => flakery.decode(id, { layout: 'snowflake' })),
        uuidIncreasing: uuidIds.every((id, i) => i === 0 || id > uuidIds[i - 1]),
        uuid: uuidIds.map((id) => flakery.decode(id, { layout: 'uuidv7' })),
        uuidText: flakery.formatId(uuidIds[0], 16, 'uuid'),
      };
      `,
    ) as {
      globals: string[];
      snowIncreasing: boolean;
      snow: { workerId: number; sequence: number; unixMs: number }[];
      uuidIncreasing: boolean;
      uuid: { hardwareId: string; processId: number; unixMs: number }[];
      uuidText: string;
    };
    assert.deepEqual(out.globals, ['undefined', 'undefined', 'undefined']);
    assert.equal(out.snowIncreasing, true);
    assert.deepEqual(
      out.snow.map((d) => [d.workerId, d.sequence, d.unixMs]),
      Array.from({ length: 10 }, (_, i) => [5, i, 1700000000000]),
    );
    assert.equal(out.uuidIncreasing, true);
    assert.deepEqual(out.uuid.map((d) => [d.hardwareId, d.processId, d.unixMs]), Array(3).fill(['0242ac110002', 7, 1700000000000]));
    assert.match(out.uuidText, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('GIVEN hardwareId "mac" and no provider THEN InvalidOptionError says only the Node entry has it; an injected provider is used', async () => {
    const bundle = await browserBundle();
    const out = runInBrowserLike(
      bundle,
      `
      let refusal;
      try {
        flakery.createGenerator({ layout: 'overt', processId: 1 });
      } catch (error) {
        refusal = { isInvalidOption: error instanceof flakery.InvalidOptionError, code: error.code, option: error.option, message: error.message };
      }
      const injected = flakery.createGenerator({ layout: 'overt', processId: 1 }, { hardwareIds: { mac: () => new Uint8Array([1, 2, 3, 4, 5, 6]) } });
      return { refusal, injected: flakery.decode(injected.next(), { layout: 'overt' }).hardwareId };
      `,
    ) as { refusal: { isInvalidOption: boolean; code: string; option: string; message: string }; injected: string };
    assert.deepEqual(
      { ...out.refusal, message: undefined },
      { isInvalidOption: true, code: 'ERR_HARDWARE_ID_UNAVAILABLE', option: 'hardwareId', message: undefined },
    );
    assert.match(out.refusal.message, /hardwareId "mac" .*only the Node entry \(flakery\).*12 hex digits/);
    assert.equal(out.injected, '010203040506');
  });
});
