import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/runCli.js';
import { repoRoot } from '../support/paths.js';
import { lines, runFlakery, runInProcess } from './runFlakery.js';

/**
 * Each bad command line, and what its one line on stderr must say. All run in-process through
 * the dispatcher; those marked `spawn` also through the real binary (starting Node costs about
 * 0.1 s on the test machine, too much to pay for every row).
 */
const badCommandLines: { args: string[]; message: RegExp; spawn?: true }[] = [
  { args: [], message: /^flakery: missing command: gen or decode/, spawn: true },
  { args: ['make'], message: /^flakery: unknown command "make"; the commands are gen, decode/, spawn: true },
  { args: ['gen', '--bogus'], message: /^flakery gen: unknown option "--bogus" for flakery gen; it accepts --count, --layout/, spawn: true },
  { args: ['gen', 'extra'], message: /^flakery gen: flakery gen takes no arguments, only options; got "extra"$/ },
  { args: ['gen', '--count'], message: /^flakery gen: --count needs a value: an integer from 1 to 1000000000$/, spawn: true },
  { args: ['gen', '--count', '0'], message: /^flakery gen: --count must be an integer from 1 to 1000000000; got "0"$/ },
  { args: ['gen', '--count', '1e7'], message: /--count must be an integer from 1 to 1000000000; got "1e7"$/ },
  { args: ['gen', '--count', '1000000001'], message: /--count must be an integer from 1 to 1000000000; got "1000000001"$/ },
  { args: ['gen', '--count', '2', '--count', '3'], message: /--count is given more than once$/ },
  { args: ['gen', '--layout', 'flake64'], message: /--layout must be one of overt, overt53, snowflake, uuidv7; got "flake64"$/ },
  { args: ['gen', '--epoch', 'gregorian'], message: /--epoch must be one of overtone, twitter, snowflakex, discord, unix or milliseconds since the Unix epoch \(0 to \d+\); got "gregorian"$/ },
  { args: ['gen', '--epoch', '-5'], message: /--epoch must be one of .*; got "-5"$/ },
  { args: ['gen', '--epoch', '99999999999999'], message: /^flakery gen: --epoch 99999999999999: the clock reads .* before the epoch/, spawn: true },
  { args: ['gen', '--format', 'base64'], message: /--format must be one of decimal, hex, uuid; got "base64"$/ },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', '1', '--format', 'uuid'], message: /--format uuid needs a 16-byte layout \(overt, overt53 or uuidv7\); snowflake IDs have 8 bytes/, spawn: true },
  { args: ['gen', '--layout', 'snowflake'], message: /--machine-id is required for the snowflake layout: a worker id from 0 to 1023/ },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', '1024'], message: /^flakery gen: --machine-id must be an integer from 0 to 1023; got "1024"$/, spawn: true },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', '-1'], message: /--machine-id must be an integer from 0 to 1023; got "-1"$/ },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', 'x7'], message: /--machine-id must be an integer from 0 to 1023; got "x7"$/ },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', '32', '--datacenter-id', '1'], message: /--machine-id must be an integer from 0 to 31; got "32"$/ },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', '1', '--datacenter-id', '32'], message: /--datacenter-id must be an integer from 0 to 31; got "32"$/ },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', '1', '--hid', '0242ac110002'], message: /--hid does not apply to the snowflake layout$/ },
  { args: ['gen', '--layout', 'snowflake', '--machine-id', '1', '--hid-type', 'host'], message: /--hid-type does not apply to the snowflake layout$/ },
  { args: ['gen', '--machine-id', '1'], message: /--machine-id does not apply to the overt layout$/ },
  { args: ['gen', '--layout', 'overt53', '--datacenter-id', '1'], message: /--datacenter-id does not apply to the overt53 layout$/ },
  { args: ['gen', '--hid-type', 'gpu'], message: /--hid-type must be one of mac, simple, host, fixed; got "gpu"$/ },
  { args: ['gen', '--hid-type', 'fixed'], message: /--hid-type fixed needs --hid: 12 hex digits/ },
  { args: ['gen', '--hid-type', 'mac', '--hid', '0242ac110002'], message: /--hid gives a fixed hardware id, which contradicts --hid-type mac$/ },
  { args: ['gen', '--hid', '0242ac11000'], message: /--hid must be 12 hex digits \(6 bytes\)/ },
  { args: ['decode', '--layout', 'snowflake', '--format', 'uuid', '1'], message: /--format uuid needs a 16-byte layout/ },
  { args: ['decode', '--format', 'octal', '1'], message: /--format must be one of auto, decimal, hex, uuid; got "octal"$/, spawn: true },
  { args: ['decode', '--epoch'], message: /--epoch needs a value: one of overtone, twitter, snowflakex, discord, unix or milliseconds/ },
  { args: ['decode', '-x', '1'], message: /unknown option "-x" for flakery decode; it accepts --layout, --epoch, --format, --origin$/ },
];

describe('a bad command line', { concurrency: 4 }, () => {
  for (const { args, message, spawn } of badCommandLines) {
    for (const [how, run] of spawn ? [['in process', runInProcess], ['spawned', runFlakery]] as const : [['in process', runInProcess]] as const) {
      it(`GIVEN flakery ${args.join(' ')} (${how}) THEN status 2, one line on stderr, nothing on stdout`, async () => {
        const { status, stdout, stderr } = await run(args);
        assert.equal(status, 2);
        assert.equal(stdout, '');
        assert.equal(lines(stderr).length, 1, stderr);
        assert.match(lines(stderr)[0]!, message);
      });
    }
  }
});

describe('help and version', { concurrency: 4 }, () => {
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

  for (const [args, run] of [[['--version'], runFlakery], [['-v'], runInProcess]] as const) {
    it(`flakery ${args.join(' ')} prints the package version`, async () => {
      assert.deepEqual(await run(args), { status: 0, stdout: `flakery ${version}\n`, stderr: '' });
    });
  }

  it('flakery --help lists the commands and says to use the host hardware id in containers', async () => {
    const { status, stdout, stderr } = await runFlakery(['--help']);
    assert.equal(status, 0);
    assert.equal(stderr, '');
    assert.match(stdout, /^Usage: flakery <command>/m);
    assert.match(stdout, /^ {2}gen +print new IDs/m);
    assert.match(stdout, /^ {2}decode +print the fields/m);
    assert.match(stdout, /--hid-type host/);
  });

  const genHelp = [
    [['gen', '--help'], runFlakery],
    [['help', 'gen'], runInProcess],
    [['gen', '--count', 'nonsense', '-h'], runInProcess],
  ] as const;
  for (const [args, run] of genHelp) {
    it(`flakery ${args.join(' ')} prints gen's help, which recommends host in containers`, async () => {
      const { status, stdout, stderr } = await run(args);
      assert.deepEqual([status, stderr], [0, '']);
      assert.match(stdout, /^Usage: flakery gen \[options\]/);
      for (const flag of ['--count', '--layout', '--epoch', '--machine-id', '--datacenter-id', '--hid-type', '--hid', '--format']) {
        assert.match(stdout, new RegExp(`^ {2}${flag} `, 'm'));
      }
      assert.match(stdout, /^ {2}host +.*use this in containers/m);
    });
  }

  it('flakery decode --help describes the output and the exit status', async () => {
    const { status, stdout, stderr } = await runFlakery(['decode', '--help']);
    assert.deepEqual([status, stderr], [0, '']);
    assert.match(stdout, /^Usage: flakery decode \[options\] \[ID\.\.\.\]/);
    assert.match(stdout, /reads IDs from stdin/);
    assert.match(stdout, /1 when one or more did not, 2 for a bad option/);
  });
});

describe('a failure after the command line was accepted', () => {
  it('GIVEN stdout fails (ENOSPC) THEN status 1 and the error in one stderr line', async () => {
    const stdout = new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' })) });
    let stderr = '';
    const status = await runCli(['gen', '--count', '10'], {
      stdin: Readable.from([]),
      stdout,
      stderr: new Writable({ write: (chunk, _encoding, done) => done(void (stderr += String(chunk))) }),
    });
    assert.equal(status, 1);
    assert.equal(stderr, 'flakery gen: write ENOSPC\n');
  });
});
