import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nearestName } from '../../src/cli/nearestName.js';

const names = ['listen', 'http', 'max-count', 'max-connections', 'machine-id', 'state-file', 'worker-id-from'];

describe('nearestName', () => {
  it('GIVEN a name of the list THEN that name', () => {
    for (const name of names) assert.equal(nearestName(name, names), name);
  });

  it('GIVEN another case, underscores or no dashes THEN the name', () => {
    assert.equal(nearestName('maxCount', names), 'max-count');
    assert.equal(nearestName('STATE_FILE', names), 'state-file');
    assert.equal(nearestName('machineid', names), 'machine-id');
  });

  it('GIVEN a name with one character dropped THEN a name at most one edit away (a typo is always answered)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(), (name, at) => {
        const typo = name.slice(0, at % name.length) + name.slice((at % name.length) + 1);
        const near = nearestName(typo, names);
        assert.ok(near !== undefined, typo);
      }),
    );
  });

  it('GIVEN something unlike every name THEN no suggestion', () => {
    assert.equal(nearestName('colour', names), undefined);
    assert.equal(nearestName('x', []), undefined);
  });
});
