import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type GeneratorOptions, InvalidOptionError, createGenerator, decode } from '../../src/index.js';
import type { GeneratorPlatform } from '../../src/options/HardwareIdProviders.js';
import { resolveGeneratorConfig } from '../../src/options/resolveGeneratorConfig.js';

const refusals: { options: GeneratorOptions; option: string; message: RegExp }[] = [
  { options: { layout: 'snowflake', machineId: 1024 }, option: 'machineId', message: /machineId must be an integer from 0 to 1023; got 1024/ },
  { options: { layout: 'snowflake', machineId: -1 }, option: 'machineId', message: /from 0 to 1023/ },
  { options: { layout: 'snowflake', machineId: 1.5 }, option: 'machineId', message: /integer/ },
  { options: { layout: 'snowflake', machineId: 3, datacenterId: 32 }, option: 'datacenterId', message: /datacenterId must be an integer from 0 to 31; got 32/ },
  { options: { layout: 'snowflake', machineId: 32, datacenterId: 1 }, option: 'machineId', message: /from 0 to 31/ },
  { options: { layout: 'snowflake' }, option: 'machineId', message: /machineId is required for the snowflake layout/ },
  { options: { layout: 'overt', hardwareId: new Uint8Array(5) }, option: 'hardwareId', message: /exactly 6 bytes; got 5/ },
  { options: { layout: 'overt', hardwareId: 'abc' }, option: 'hardwareId', message: /12 hex digits/ },
  { options: { layout: 'overt', hardwareId: 'gpu' as never }, option: 'hardwareId', message: /"mac", "simple", "host"/ },
  { options: { layout: 'overt', machineId: 3 }, option: 'machineId', message: /does not apply to the overt layout/ },
  { options: { layout: 'snowflake', machineId: 3, hardwareId: 'mac' }, option: 'hardwareId', message: /does not apply to the snowflake layout/ },
  { options: { layout: 'flake64' as never }, option: 'layout', message: /layout must be one of overt, overt53, snowflake, uuidv7; got "flake64"/ },
  { options: { epoch: 'gregorian' as never }, option: 'epoch', message: /epoch must be one of overtone, twitter, snowflakex, discord, unix or milliseconds/ },
  { options: { epoch: -5 }, option: 'epoch', message: /got -5/ },
  { options: { waitFor: -1 }, option: 'waitFor', message: /waitFor must be an integer/ },
  { options: { workerId: 3 } as never, option: 'workerId', message: /unknown generator option "workerId"/ },
];

describe('generator options', () => {
  for (const { options, option, message } of refusals) {
    it(`refuses ${JSON.stringify(options, (_, v) => (v instanceof Uint8Array ? `${v.length} bytes` : v))}`, () => {
      assert.throws(
        () => createGenerator(options),
        (error: unknown) => error instanceof InvalidOptionError && error.code === 'ERR_INVALID_OPTION' && error.option === option && message.test(error.message),
      );
    });
  }

  it('takes Twitter-style datacenter and machine ids into one worker id', () => {
    const id = createGenerator({ layout: 'snowflake', datacenterId: 6, machineId: 25 }).next();
    const fields = decode(id, { layout: 'snowflake' });
    assert.deepEqual([fields.workerId, fields.datacenterId, fields.machineId], [217, 6, 25]);
  });

  it('uses the layout default epoch unless told otherwise', () => {
    const now = Date.now();
    const twitter = decode(createGenerator({ layout: 'snowflake', machineId: 1 }).next(), { layout: 'snowflake' });
    assert.ok(Math.abs(twitter.unixMs - now) < 60_000);
    const discordId = createGenerator({ layout: 'snowflake', machineId: 1, epoch: 'discord' }).next();
    assert.ok(Math.abs(decode(discordId, { layout: 'snowflake', epoch: 'discord' }).unixMs - now) < 60_000);
    const customId = createGenerator({ layout: 'overt', hardwareId: '0242ac110002', epoch: 1_600_000_000_000 }).next();
    const custom = decode(customId, { epoch: 1_600_000_000_000 });
    assert.ok(Math.abs(custom.unixMs - now) < 60_000);
    assert.equal(custom.hardwareId, '0242ac110002');
  });

  it('stores the process id modulo 2^16', () => {
    const id = createGenerator({ hardwareId: 'host', processId: 2732981 }).next();
    assert.equal(decode(id).processId, 2732981 % 65536);
  });
});

describe('the default process id comes from the platform', () => {
  const hardwareId = '0242ac110002';
  it('GIVEN the Node entry THEN it is this process pid, modulo the layout range', () => {
    const id = createGenerator({ layout: 'overt', hardwareId }).next();
    assert.equal(decode(id, { layout: 'overt' }).processId, process.pid % 65536);
  });

  it('GIVEN a platform pid THEN it is taken modulo the range; GIVEN none (a browser) THEN 0; GIVEN the option THEN the option', () => {
    const node = (platform: GeneratorPlatform, options: GeneratorOptions = {}) =>
      resolveGeneratorConfig({ layout: 'uuidv7', hardwareId, ...options }, platform).node as { processId: number };
    assert.equal(node({ processId: 70_000 }).processId, 70_000 % 16_384);
    assert.equal(node({}).processId, 0);
    assert.equal(node({ processId: 70_000 }, { processId: 5 }).processId, 5);
  });
});
