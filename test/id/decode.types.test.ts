import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DecodedId, type LayoutName, createDecoder, createGenerator, decode, layoutNames } from '../../src/index.js';

// This file is type-checked before it runs: the lines below must compile as they are.
describe('decode is typed per layout', () => {
  it('GIVEN layout snowflake THEN workerId is a number the compiler lets you add to', () => {
    const id = createGenerator({ layout: 'snowflake', machineId: 41 }).next();
    const d = decode(id, { layout: 'snowflake' });
    const n: number = d.workerId + 1;
    const layout: 'snowflake' = d.layout;
    assert.deepEqual([n, layout, d.datacenterId + d.machineId], [42, 'snowflake', 1 + 9]);
  });

  it('GIVEN an overt layout (or none) THEN processId is a number and hardwareId a string', () => {
    const gen = createGenerator({ layout: 'uuidv7', hardwareId: '0242ac110002', processId: 6 });
    const d = decode(gen.next(), { layout: 'uuidv7' });
    const next: number = d.processId + 1;
    const hex: string = d.hardwareId.toUpperCase();
    assert.deepEqual([next, hex], [7, '0242AC110002']);
    const overt = decode(createGenerator({ hardwareId: '0242ac110002', processId: 6 }).next());
    const layout: 'overt' = overt.layout;
    assert.equal(layout, 'overt');
    assert.equal(overt.processId * 2, 12);
  });

  it('GIVEN a layout known only at run time THEN the result narrows on d.layout', () => {
    const seen: string[] = [];
    for (const name of layoutNames) {
      const gen = name === 'snowflake' ? createGenerator({ layout: name, machineId: 3 }) : createGenerator({ layout: name, hardwareId: '0242ac110002', processId: 5 });
      const d: DecodedId = createDecoder({ layout: name as LayoutName })(gen.next());
      if (d.layout === 'snowflake') seen.push(`${d.layout}:${d.workerId + 0}`);
      else seen.push(`${d.layout}:${d.hardwareId}/${d.processId + 0}`);
    }
    assert.deepEqual(seen, ['overt:0242ac110002/5', 'overt53:0242ac110002/5', 'snowflake:3', 'uuidv7:0242ac110002/5']);
  });

  it('GIVEN origin any THEN the foreign shape, with no sequence or node fields', () => {
    const d = decode('017f22e2-79b0-7cc3-98c4-dc0c0c07398f', { layout: 'uuidv7', origin: 'any' });
    const node: 'unknown' = d.node;
    assert.equal(node, 'unknown');
    assert.equal(d.time, '2022-02-22T19:22:22.000Z');
  });
});
