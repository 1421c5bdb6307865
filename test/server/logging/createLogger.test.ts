import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, createLogger, parseLogLevel } from '../../../src/server/logging/createLogger.js';
import { LogCapture } from '../../support/LogCapture.js';

describe('parseLogLevel', () => {
  it('GIVEN a level name in any case THEN it is accepted', () => {
    assert.equal(parseLogLevel('--log-level', 'DEBUG'), 'debug');
    assert.equal(parseLogLevel('--log-level', 'silent'), 'silent');
  });

  it('GIVEN anything else THEN the error names the option and the levels', () => {
    assert.throws(() => parseLogLevel('--log-level', 'verbose'), {
      code: 'ERR_INVALID_OPTION',
      option: '--log-level',
      message: /--log-level must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"/,
    });
    assert.throws(() => parseLogLevel('--log-level', 3), { code: 'ERR_INVALID_OPTION' });
  });
});

describe('createLogger', () => {
  it('GIVEN a line THEN it is one JSON object with a level name and an ISO time', () => {
    const capture = new LogCapture();
    const logger = createLogger({ destination: capture, base: {} });
    logger.info({ event: 'x', n: 1 }, 'hello');
    logger.debug('not at info');
    assert.equal(capture.text.length, 1);
    const [line] = capture.lines;
    assert.equal(line?.level, 'info');
    assert.equal(line?.msg, 'hello');
    assert.equal(line?.n, 1);
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('GIVEN tokens and authorization headers in logged objects THEN their values never appear', () => {
    const capture = new LogCapture();
    const logger = createLogger({ destination: capture, level: 'trace' });
    const secret = 'tok-3f9a1c';
    logger.info({ authToken: secret, token: secret, authorization: `Bearer ${secret}` }, 'top');
    logger.info({ config: { authToken: secret, auth: secret }, req: { headers: { authorization: `Bearer ${secret}` } } }, 'nested');
    logger.info({ headers: { 'proxy-authorization': secret, Authorization: secret } }, 'headers');
    assert.equal(capture.lines.length, 3);
    assert.ok(!capture.all.includes(secret), capture.all);
    assert.equal((capture.lines[1]?.config as Record<string, unknown>).authToken, REDACTED);
  });
});
