import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/server/logging/createLogger.js';
import { type StartupInfo, logStart, formatStartupBanner } from '../../../src/server/logging/startupBanner.js';
import { LogCapture } from '../../support/LogCapture.js';

const info: StartupInfo = {
  version: '0.1.0',
  layout: 'snowflake',
  epochMs: 1288834974657,
  node: { workerId: 42 },
  tcp: '127.0.0.1:4444',
  http: 'https://127.0.0.1:8080',
  tls: true,
  authRequired: true,
  maxCount: 1000,
};

describe('start-up banner', () => {
  it('GIVEN the start-up facts THEN the banner shows them in aligned lines', () => {
    assert.equal(
      formatStartupBanner(info),
      [
        'flakery 0.1.0 serving',
        '  layout     snowflake (epoch 2010-11-04T01:42:54.657Z)',
        '  node       workerId=42',
        '  tcp        127.0.0.1:4444 (TLS)',
        '  http       https://127.0.0.1:8080',
        '  auth       token required',
        '  max count  1000',
        '',
      ].join('\n'),
    );
  });

  it('GIVEN a start THEN one started line is logged with the info', () => {
    const capture = new LogCapture();
    logStart(info, createLogger({ destination: capture }));
    assert.equal(capture.lines.length, 1);
    const [started] = capture.events('started');
    assert.equal(started?.layout, 'snowflake');
    assert.equal(started?.authRequired, true);
  });
});
