import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/clock/ManualClock.js';
import { createLogger } from '../../../src/server/logging/createLogger.js';
import { LoggingObserver } from '../../../src/server/logging/LoggingObserver.js';
import { LogCapture } from '../../support/LogCapture.js';

function setup(level: 'trace' | 'info' | 'warn' = 'trace') {
  const capture = new LogCapture();
  const clock = new ManualClock(1_000_000);
  const observer = new LoggingObserver(createLogger({ level, destination: capture, base: {} }), { clock, warnIntervalMs: 1000 });
  return { capture, clock, observer };
}

describe('LoggingObserver', () => {
  it('GIVEN every hook at trace THEN each writes one line with its event and fields', () => {
    const { capture, observer } = setup();
    observer.connectionOpened('tcp');
    observer.connectionClosed('http');
    observer.requestFinished('http', 'ok', 5, 0.0012345);
    observer.idsIssued(5, 1234);
    observer.sequenceExhausted();
    observer.clockBehind(40);
    assert.deepEqual(
      capture.lines.map(({ level, event }) => `${level} ${event}`),
      [
        'debug connection_opened',
        'debug connection_closed',
        'debug request',
        'trace ids_issued',
        'debug sequence_exhausted',
        'warn clock_behind',
      ],
    );
    assert.deepEqual(capture.events('request')[0], {
      ...capture.events('request')[0],
      listener: 'http',
      outcome: 'ok',
      ids: 5,
      ms: 1.235,
    });
    assert.equal(capture.events('clock_behind')[0]?.behindMs, 40);
  });

  it('GIVEN level info THEN successful requests are not logged and failures are', () => {
    const { capture, observer } = setup('info');
    observer.requestFinished('tcp', 'ok', 1, 0.001);
    observer.requestFinished('tcp', 'bad_request', 0, 0.001);
    observer.requestFinished('tcp', 'auth_failed', 0, 0.001);
    observer.requestFinished('http', 'error', 0, 0.001);
    assert.deepEqual(
      capture.lines.map(({ level, outcome }) => `${level} ${outcome}`),
      ['info bad_request', 'warn auth_failed', 'error error'],
    );
  });

  it('GIVEN a burst of one warning THEN one line per interval, the next saying how many were left out', () => {
    const { capture, clock, observer } = setup('warn');
    for (let i = 0; i < 5; i++) observer.clockBehind(10 + i);
    observer.requestFinished('tcp', 'auth_failed', 0, 0); // another kind is not held back
    clock.advance(999);
    observer.clockBehind(20);
    clock.advance(1);
    observer.clockBehind(21);
    const behind = capture.events('clock_behind');
    assert.deepEqual(
      behind.map((line) => [line.behindMs, line.suppressed]),
      [
        [10, undefined],
        [21, 5],
      ],
    );
    assert.equal(capture.events('request').length, 1);
  });
});
