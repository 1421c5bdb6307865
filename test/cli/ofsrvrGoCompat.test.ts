import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runOfsrvr } from '../../src/cli/ofsrvr.js';
import { type DecodedId, decode, epochs } from '../../src/index.js';
import { type LayoutName, layouts } from '../../src/layouts/registry.js';
import { RawClient, countFrame } from '../server/rawClient.js';

/**
 * One row per flag or config key case of docs/ofsrvr.md: the original overt-flake server
 * (gotomgo/overt-flake) accepts each of these, so `ofsrvr` must start with it and issue IDs in
 * the same ID space — same layout, same epoch, same worker bits — and name in one warning line
 * what the original ignores. Each row starts the real ofsrvr (port 0) and decodes its first ID.
 */
interface Row {
  readonly title: string;
  readonly args: readonly string[];
  /** YAML for -config (the flag is added by the test). */
  readonly file?: string;
  readonly layout: LayoutName;
  readonly epochMs: number;
  readonly workerId?: number;
  readonly hardwareId?: string;
  /** Warning lines expected on stderr, each matched once. */
  readonly warnings?: readonly RegExp[];
}

/** A fixed hardware id, so the rows do not depend on this machine's MACs. */
const FIXED = ['-hidtype', 'fixed', '-hid', 'abcdef'];
const ABCDEF = '616263646566';

const rows: readonly Row[] = [
  { title: 'no flags: overt, the Overtone epoch', args: FIXED, layout: 'overt', epochMs: epochs.overtone, hardwareId: ABCDEF },
  { title: '-epoch for the default generator', args: [...FIXED, '-epoch', '0'], layout: 'overt', epochMs: 0, hardwareId: ABCDEF },
  { title: '-epoch -1 is unset', args: [...FIXED, '-epoch', '-1'], layout: 'overt', epochMs: epochs.overtone },
  {
    title: 'any negative -epoch is unset, as overt-flake tests argEpoch > -1',
    args: [...FIXED, '-epoch', '-5'],
    layout: 'overt',
    epochMs: epochs.overtone,
    warnings: [/^ofsrvr: warning: -epoch -5 is ignored/],
  },
  {
    title: '-gentype twitter ignores -epoch: always the Twitter epoch',
    args: ['-gentype', 'twitter', '-machineid', '7', '-epoch', '1483228800000'],
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 7,
    warnings: [/^ofsrvr: warning: -epoch 1483228800000 is ignored: .*twitter.*1288834974657/],
  },
  {
    title: '-gentype of53 ignores -epoch: always the Overtone epoch',
    args: [...FIXED, '-gentype', 'of53', '-epoch', '0'],
    layout: 'overt53',
    epochMs: epochs.overtone,
    hardwareId: ABCDEF,
    warnings: [/^ofsrvr: warning: -epoch 0 is ignored: .*of53.*1483228800000/],
  },
  {
    title: '-gentype twitter without -machineid: worker 0, with a warning',
    args: ['-gentype', 'twitter'],
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 0,
    warnings: [/^ofsrvr: warning: worker id 0 .*-machineid/],
  },
  {
    title: '-machineid 40 -datacenterid 0: 0 is unset, the raw machine id is the worker id',
    args: ['-gentype', 'twitter', '-machineid', '40', '-datacenterid', '0'],
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 40,
  },
  {
    title: '-machineid 3 -datacenterid 2: datacenter << 5 | machine',
    args: ['-gentype', 'twitter', '-machineid', '3', '-datacenterid', '2'],
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 67,
  },
  {
    title: '-machineid 40 -datacenterid 1: the bits overlap and are ORed, as overt-flake does',
    args: ['-gentype', 'twitter', '-machineid', '40', '-datacenterid', '1'],
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 40,
    warnings: [/^ofsrvr: warning: -machineid 40 overlaps .*-datacenterid 1/],
  },
  {
    title: "integer flags in Go's syntax (strconv base 0): 010 is octal 8, 0x1 is 1",
    args: ['-gentype', 'twitter', '-machineid', '010', '-datacenterid', '0x1'],
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 40,
  },
  {
    title: "-epoch in Go's syntax",
    args: [...FIXED, '-epoch', '0x159_5753_6400'],
    layout: 'overt',
    epochMs: 1483228800000,
  },
  {
    title: 'a negative -waitfor is no wait (the original starts with it)',
    args: [...FIXED, '-waitfor', '-5'],
    layout: 'overt',
    epochMs: epochs.overtone,
    warnings: [/^ofsrvr: warning: -waitfor -5 is ignored/],
  },
  {
    title: '-gentype twitter ignores -hidtype and -hid',
    args: ['-gentype', 'twitter', '-machineid', '9', ...FIXED],
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 9,
    warnings: [/^ofsrvr: warning: -hidtype fixed is ignored/, /^ofsrvr: warning: -hid is ignored/],
  },
  {
    title: '-machineid for the default generator is ignored',
    args: [...FIXED, '-machineid', '3', '-datacenterid', '1'],
    layout: 'overt',
    epochMs: epochs.overtone,
    hardwareId: ABCDEF,
    warnings: [/^ofsrvr: warning: -machineid 3 is ignored/, /^ofsrvr: warning: -datacenterid 1 is ignored/],
  },
  {
    title: '-config without epoch: the file replaces the defaults, so epoch 0 (Unix)',
    args: [],
    file: 'hidType: fixed\nhardwareId: abcdef\ngenType: default\n',
    layout: 'overt',
    epochMs: 0,
    hardwareId: ABCDEF,
  },
  {
    title: '-config of53 without epoch: of53 keeps its own epoch',
    args: [],
    file: 'hidType: fixed\nhardwareId: abcdef\ngenType: of53\n',
    layout: 'overt53',
    epochMs: epochs.overtone,
  },
  {
    title: '-config twitter with hidType (which overt-flake requires) and an epoch',
    args: [],
    file: 'ipAddr: 0.0.0.0:4444\nepoch: 1483228800000\nhidType: mac\ngenType: twitter\nauthToken: ""\nhardwareId: []\nmachineId: 5\ndataCenterId: 1\n',
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 37,
    warnings: [/: hidType mac is ignored/, /: epoch 1483228800000 is ignored/],
  },
  {
    title: 'the YAML overt-flake saves for the default generator (hardwareId: [], machineId: 0, dataCenterId: 0)',
    args: FIXED,
    file: 'ipAddr: 0.0.0.0:4444\nepoch: 1483228800000\nhidType: mac\ngenType: default\nauthToken: ""\nhardwareId: []\nmachineId: 0\ndataCenterId: 0\n',
    layout: 'overt',
    epochMs: epochs.overtone,
    hardwareId: ABCDEF,
  },
  {
    title: 'unknown keys are ignored (yaml.v2 does), with a warning',
    args: [],
    file: 'hidType: fixed\nhardwareId: abcdef\ngenType: default\nepoch: 1483228800000\nlogLevel: debug\n',
    layout: 'overt',
    epochMs: epochs.overtone,
    warnings: [/: unknown key "logLevel" is ignored/],
  },
  {
    title: '-gentype twitter over a default config: the file machineId 0 is worker 0',
    args: ['-gentype', 'twitter'],
    file: 'hidType: mac\ngenType: default\nmachineId: 0\n',
    layout: 'snowflake',
    epochMs: epochs.twitter,
    workerId: 0,
    warnings: [/: hidType mac is ignored/, /^ofsrvr: warning: worker id 0 \(.*: machineId 0/],
  },
];

describe('ofsrvr: what overt-flake accepts, ofsrvr starts with, in the same ID space', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'ofsrvr-go-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  rows.forEach((row, index) => {
    it(row.title, async () => {
      const args = ['-ip', '127.0.0.1:0', ...row.args];
      if (row.file !== undefined) {
        const path = join(dir, `row${index}.yml`);
        await writeFile(path, row.file);
        args.push('-config', path);
      }
      const { status, stderr, id } = await firstId(args);
      assert.equal(status, 0, stderr);
      assert.ok(id, `no ID was issued; stderr:\n${stderr}`);
      assert.equal(id.length, row.layout === 'snowflake' ? 8 : 16, 'ID size');
      const decoded: DecodedId = decode(id, { layout: row.layout, epoch: row.epochMs });
      // Under the wrong epoch the time is years off; the hour allows for a slow machine.
      assert.ok(Math.abs(decoded.unixMs - Date.now()) < 3_600_000, `time ${decoded.time} under epoch ${row.epochMs}`);
      if (row.workerId !== undefined) assert.equal(decoded.layout === 'snowflake' && decoded.workerId, row.workerId, 'worker bits');
      if (row.hardwareId !== undefined) assert.equal(decoded.layout !== 'snowflake' && decoded.hardwareId, row.hardwareId, 'hardware id');
      const warnings = stderr.split('\n').filter((line) => line.includes('warning:') && !line.includes('every interface'));
      for (const pattern of row.warnings ?? []) {
        assert.equal(warnings.filter((line) => pattern.test(line)).length, 1, `one line matching ${pattern} in:\n${stderr}`);
      }
      assert.equal(warnings.length, row.warnings?.length ?? 0, `warnings:\n${warnings.join('\n')}`);
    });
  });
});

/** Runs ofsrvr in process, takes one ID over TCP once it listens, then stops it. */
async function firstId(args: string[]): Promise<{ status: number; stderr: string; id: Uint8Array | undefined }> {
  const stdout = new PassThrough().resume();
  const stderr = new PassThrough();
  let text = '';
  const stop = new AbortController();
  let id: Uint8Array | undefined;
  let asked = false;
  stderr.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    const listening = /listening on \S+:(\d+)\n/.exec(text);
    if (listening === null || asked) return;
    asked = true;
    void (async () => {
      try {
        const client = await RawClient.connect(Number(listening[1]));
        client.write(countFrame(1));
        id = await client.read(layouts[/ layout +(\w+)/.exec(text)![1] as LayoutName].byteLength); // the banner says which
        client.socket.destroy();
      } finally {
        stop.abort();
      }
    })();
  });
  const status = await runOfsrvr(args, { stdout, stderr }, {}, { stop: stop.signal });
  return { status, stderr: text, id };
}
