import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHostPort, parseHostPort } from '../../src/net/hostPort.js';
import { FlakeryError } from '../../src/errors.js';

describe('parseHostPort', () => {
  for (const [text, host, port] of [
    ['127.0.0.1:4444', '127.0.0.1', 4444],
    ['ids.example.com:1', 'ids.example.com', 1],
    ['[::1]:4444', '::1', 4444],
    [' 10.0.0.1:80 ', '10.0.0.1', 80],
  ] as const) {
    it(`reads ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseHostPort('x', text), { host, port });
    });
  }

  it('reads ":port" as all interfaces only where a default host is given', () => {
    assert.deepEqual(parseHostPort('ip', ':4444', { defaultHost: '0.0.0.0' }), { host: '0.0.0.0', port: 4444 });
    assert.throws(() => parseHostPort('server', ':4444'), { option: 'server' });
  });

  it('takes port 0 only where any free port is wanted', () => {
    assert.deepEqual(parseHostPort('--listen', '127.0.0.1:0', { allowAnyPort: true }), { host: '127.0.0.1', port: 0 });
    assert.throws(() => parseHostPort('servers[0]', '127.0.0.1:0'), /servers\[0\] must be host:port/);
  });

  for (const bad of ['4444', 'host', 'host:', 'host:65536', 'host:-1', '::1:4444', 42, undefined]) {
    it(`rejects ${JSON.stringify(bad)}, naming the option`, () => {
      assert.throws(() => parseHostPort('--listen', bad), { code: 'ERR_INVALID_OPTION', option: '--listen' });
    });
  }

  it('formats IPv6 hosts in brackets', () => {
    assert.equal(formatHostPort({ host: '::1', port: 1 }), '[::1]:1');
    assert.equal(formatHostPort({ host: '0.0.0.0', port: 4444 }), '0.0.0.0:4444');
  });
});

describe('listenOn', () => {
  it('GIVEN the address is in use THEN both listeners reject with ERR_LISTEN in words', async () => {
    const { createServer } = await import('node:net');
    const { listenOn } = await import('../../src/server/listenOn.js');
    const first = createServer();
    const bound = await listenOn(first, { host: '127.0.0.1', port: 0 });
    try {
      await assert.rejects(
        listenOn(createServer(), { host: '127.0.0.1', port: bound.port }),
        (e: unknown) => e instanceof FlakeryError && e.code === 'ERR_LISTEN' && e.message === `cannot listen on 127.0.0.1:${bound.port}: the address is in use`,
      );
    } finally {
      first.close();
    }
  });
});
