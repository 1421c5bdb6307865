import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidOptionError, createClient, createDecoder, createGenerator, decode } from '../../src/index.js';
import { startIdNode } from '../../src/server/startIdNode.js';

/** The public entry points that take an options object, each called with `extra` keys added. */
const entries: { name: string; call: (extra: Record<string, unknown>) => unknown }[] = [
  { name: 'createGenerator', call: (extra) => createGenerator({ layout: 'snowflake', machineId: 1, ...extra }) },
  { name: 'createClient', call: (extra) => createClient({ servers: ['127.0.0.1:1'], ...extra }) },
  { name: 'createClient servers[0]', call: (extra) => createClient({ servers: [{ address: '127.0.0.1:1', ...extra }] }) },
  { name: 'createDecoder', call: (extra) => createDecoder({ layout: 'snowflake', ...extra }) },
  { name: 'decode', call: (extra) => decode(1n, { layout: 'snowflake', ...extra }) },
];

/** A key none of the options objects knows: random text that is not the name of a real option. */
const knownKeys = new Set(['layout', 'epoch', 'machineId', 'datacenterId', 'hardwareId', 'processId', 'node', 'waitFor', 'clock', 'gates', 'servers', 'connectTimeoutMs', 'requestTimeoutMs', 'idSize', 'maxCountPerRequest', 'retryableCodes', 'tls', 'maxClockSkewMs', 'prefetch', 'address', 'authToken', 'format', 'origin', 'observer', 'createGenerator', 'healthChecks']);
const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !knownKeys.has(key) && !(key in Object.prototype));

describe('options objects of the public API', () => {
  it('GIVEN createClient({ servers, prefech }) (a typo) THEN InvalidOptionError names prefech and lists the known options', () => {
    assert.throws(
      () => createClient({ servers: ['127.0.0.1:1'], prefech: 100 } as never),
      (error: unknown) =>
        error instanceof InvalidOptionError &&
        error.code === 'ERR_INVALID_OPTION' &&
        error.option === 'prefech' &&
        /unknown client option "prefech"; known: servers, .*maxCountPerRequest/.test(error.message),
    );
  });

  for (const { name, call } of entries) {
    it(`GIVEN ${name} with any unknown key THEN InvalidOptionError naming that key`, () => {
      fc.assert(
        fc.property(unknownKey, fc.anything(), (key, value) => {
          assert.throws(
            () => call({ [key]: value }),
            (error: unknown) => error instanceof InvalidOptionError && error.option.endsWith(key) && error.message.includes(JSON.stringify(key).slice(1, -1)),
          );
        }),
        { numRuns: 60 },
      );
    });
  }

  it('GIVEN startIdNode with an unknown option THEN it refuses before opening a guard or listening', async () => {
    const config = {} as Parameters<typeof startIdNode>[0];
    await assert.rejects(startIdNode(config, { gate: [] } as never), (error: unknown) => error instanceof InvalidOptionError && error.option === 'gate');
    await assert.rejects(
      startIdNode(config, { http: { listen: { host: '127.0.0.1', port: 0 }, metric: {} } } as never),
      (error: unknown) => error instanceof InvalidOptionError && error.option === 'http.metric',
    );
  });
});
