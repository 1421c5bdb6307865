import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOptionError } from '../../src/index.js';
import { describeFlags, parseArgs } from '../../src/cli/parseArgs.js';

const specs = {
  count: { flag: '--count', value: 'N', accepts: 'an integer from 1 to 10', description: 'how many' },
  hid: { flag: '--hid', aliases: ['-hid'], value: 'HEX', description: 'hardware id' },
  quiet: { flag: '--quiet', aliases: ['-q'], description: 'say less' },
} as const;

function parse(...argv: string[]) {
  return parseArgs(argv, specs, 'flakery test');
}

function refusal(argv: string[], option: string, message: string | RegExp): void {
  assert.throws(
    () => parse(...argv),
    (error: unknown) =>
      error instanceof InvalidOptionError &&
      error.code === 'ERR_INVALID_OPTION' &&
      error.option === option &&
      (typeof message === 'string' ? error.message === message : message.test(error.message)),
  );
}

describe('parseArgs', () => {
  it('GIVEN flags with values, a switch and arguments THEN it returns them as text', () => {
    const { values, positionals } = parse('a', '--count', '3', '-q', 'b', '--hid=0242ac110002');
    assert.deepEqual(values, { count: '3', quiet: true, hid: '0242ac110002' });
    assert.deepEqual(positionals, ['a', 'b']);
  });

  it('GIVEN an alias THEN the value is filed under the flag key', () => {
    assert.deepEqual(parse('-hid', 'abcdef').values, { hid: 'abcdef' });
  });

  it('GIVEN -- THEN everything after it is an argument, flags too', () => {
    assert.deepEqual(parse('--count', '1', '--', '--quiet', '-x').positionals, ['--quiet', '-x']);
  });

  it('GIVEN a lone - or a negative number as a value THEN they are taken as text', () => {
    assert.deepEqual(parse('-').positionals, ['-']);
    assert.deepEqual(parse('--count', '-1').values, { count: '-1' });
    assert.deepEqual(parse('--count=').values, { count: '' });
  });

  it('GIVEN an unknown flag THEN it names it and lists the known ones', () => {
    refusal(['--bogus'], '--bogus', 'unknown option "--bogus" for flakery test; it accepts --count, --hid, --quiet');
    refusal(['--bogus=1'], '--bogus', /unknown option "--bogus"/);
    refusal(['-n', '3'], '-n', /unknown option "-n"/);
  });

  it('GIVEN a flag without its value THEN it says what the value must be', () => {
    refusal(['--count'], '--count', '--count needs a value: an integer from 1 to 10');
    refusal(['--count', '--quiet'], '--count', '--count needs a value: an integer from 1 to 10');
    refusal(['-hid'], '-hid', '-hid needs a value: HEX');
  });

  it('GIVEN a flag twice THEN it refuses rather than pick one', () => {
    refusal(['--count', '1', '--count', '2'], '--count', '--count is given more than once');
    refusal(['--hid', 'a', '-hid', 'b'], '-hid', '-hid is given more than once');
  });

  it('GIVEN a value for a switch THEN it refuses', () => {
    refusal(['--quiet=yes'], '--quiet', '--quiet takes no value; got "yes"');
  });

  it('describes the flags in aligned columns for --help', () => {
    assert.equal(
      describeFlags(specs),
      ['  --count N        how many', '  -hid, --hid HEX  hardware id', '  -q, --quiet      say less'].join('\n'),
    );
  });
});
