import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fanOutObserver } from '../../../src/server/observers/fanOutObserver.js';
import { type ServerObserver, silentObserver } from '../../../src/server/ServerObserver.js';

function recorder(log: string[], name: string): ServerObserver {
  return {
    connectionOpened: (l) => log.push(`${name} open ${l}`),
    connectionClosed: (l) => log.push(`${name} close ${l}`),
    requestFinished: (l, o, ids, s) => log.push(`${name} req ${l} ${o} ${ids} ${s}`),
    idsIssued: (c, t) => log.push(`${name} ids ${c} ${t}`),
    sequenceExhausted: () => log.push(`${name} exhausted`),
    clockBehind: (ms) => log.push(`${name} behind ${ms}`),
  };
}

describe('fanOutObserver', () => {
  it('GIVEN two observers THEN each hook reaches both, in order, with its arguments', () => {
    const log: string[] = [];
    const both = fanOutObserver(recorder(log, 'a'), recorder(log, 'b'));
    both.connectionOpened('http');
    both.connectionClosed('tcp');
    both.requestFinished('http', 'ok', 3, 0.5);
    both.idsIssued(3, 99);
    both.sequenceExhausted();
    both.clockBehind(7);
    assert.deepEqual(log, [
      'a open http', 'b open http',
      'a close tcp', 'b close tcp',
      'a req http ok 3 0.5', 'b req http ok 3 0.5',
      'a ids 3 99', 'b ids 3 99',
      'a exhausted', 'b exhausted',
      'a behind 7', 'b behind 7',
    ]);
  });

  it('GIVEN an observer that throws THEN the others are still called and the first error is rethrown', () => {
    const log: string[] = [];
    const broken: ServerObserver = { ...silentObserver, sequenceExhausted: () => { throw new Error('broken'); } };
    const fan = fanOutObserver(broken, recorder(log, 'b'));
    assert.throws(() => fan.sequenceExhausted(), /broken/);
    assert.deepEqual(log, ['b exhausted']);
  });

  it('GIVEN none or one THEN it returns the silent observer or that one', () => {
    assert.equal(fanOutObserver(), silentObserver);
    const one = recorder([], 'x');
    assert.equal(fanOutObserver(one), one);
  });
});
