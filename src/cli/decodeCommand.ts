import { createInterface } from 'node:readline';
import { InvalidIdError, InvalidOptionError } from '../errors.js';
import { type DecodeOptions, createDecoder, decodeOrigins } from '../id/decode.js';
import { type IdFormat, idFormats } from '../id/IdFormat.js';
import type { Layout } from '../layouts/Layout.js';
import { show } from '../options/integerOption.js';
import { type CliIo, type Command, EXIT_FAILURE, EXIT_OK } from './Command.js';
import { choiceOption } from './choiceOption.js';
import { ImplausibleTimeWarning } from './ImplausibleTimeWarning.js';
import { layoutFlags, requireUuidLayout, resolveLayoutFlags } from './layoutFlags.js';
import { OutputWriter } from './OutputWriter.js';
import { type FlagSpecs, type FlagValues, describeFlags, parseArgs } from './parseArgs.js';

const inputFormats = ['auto', ...idFormats] as const;

export const decodeFlags = {
  ...layoutFlags,
  format: {
    flag: '--format',
    value: 'FORMAT',
    accepts: `one of ${inputFormats.join(', ')}`,
    description: 'how the IDs are written: auto (default), decimal, hex or uuid',
  },
  origin: {
    flag: '--origin',
    value: 'WHO',
    accepts: `one of ${decodeOrigins.join(', ')}`,
    description: "uuidv7: flakery (default) reads the counter and node; any reads other generators' UUIDv7 for the time only",
  },
} as const satisfies FlagSpecs;

/** Decoded lines are collected into writes of about this many characters. */
const BATCH_CHARS = 64 * 1024;

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'print the fields of IDs as JSON, one object per line',
  help: () => `Usage: flakery decode [options] [ID...]

Prints the fields of each ID as one JSON object per line: layout, id (decimal), unixMs,
time (ISO-8601), sequence, and workerId, datacenterId, machineId (snowflake) or
hardwareId, processId (overt, overt53, uuidv7). With no ID arguments, reads IDs from stdin,
one per line (blank lines are skipped), so that \`flakery gen | flakery decode\` works.

A UUIDv7 that another generator made (the uuid package, a database) has random bits where
Flakery's has its counter and node: decode it with --layout uuidv7 --origin any to get its
time, the raw randA and randB, and "node": "unknown" instead of fields read from noise. A
UUID of another version is refused.

IDs may be decimal, hex (0x optional) or, for overt, overt53 and uuidv7, UUIDs. With --format auto,
an ID that is all digits and exactly as long as the layout's hex (16 digits for snowflake,
32 for overt) is read as hex, as \`flakery gen --format hex\` writes it; say --format
decimal to read such an ID as decimal.

Options:
${describeFlags(decodeFlags)}

An ID that cannot be decoded gets one line on stderr naming it, and the others are still
decoded. An ID whose time is implausible (at the epoch, before 2000, or more than a year
ahead) is still printed, with a warning on stderr suggesting the --layout or --epoch that
reads it as a time near now: the first such ID names it, a last line counts the others. Exit status: 0 when every ID decoded, 1 when one or more did not, 2 for a bad option.

Examples:
  flakery decode 377295072063832883106679564772908189
  flakery gen --layout snowflake --machine-id 7 --count 3 | flakery decode --layout snowflake
  flakery decode --layout uuidv7 --origin any 017f22e2-79b0-7cc3-98c4-dc0c0c07398f`,

  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, decodeFlags, 'flakery decode');
    const options = resolveDecodeOptions(values);
    const read = createDecoder({ layout: options.layout, epoch: options.epoch, format: options.format, origin: options.origin });
    const warning = new ImplausibleTimeWarning(options.layout, options.epochMs, options.format);
    const out = new OutputWriter(io.stdout);
    let batch = '';
    let failures = 0;
    for await (const text of positionals.length > 0 ? positionals : stdinLines(io)) {
      if (positionals.length === 0 && text.trim() === '') continue;
      try {
        const id = read(text);
        batch += `${JSON.stringify(id)}\n`;
        const warn = warning.check(text, id);
        if (warn !== undefined) io.stderr.write(`flakery decode: ${warn}\n`);
      } catch (error) {
        if (!(error instanceof InvalidIdError)) throw error;
        failures++;
        io.stderr.write(`flakery decode: ${describeInvalid(text, error)}\n`);
      }
      if (batch.length >= BATCH_CHARS) {
        await out.write(batch);
        batch = '';
        if (out.closed) break;
      }
    }
    if (batch) await out.write(batch);
    await out.flush();
    const summary = warning.summary();
    if (summary !== undefined) io.stderr.write(`flakery decode: ${summary}\n`);
    return failures > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function resolveDecodeOptions(values: FlagValues<typeof decodeFlags>): DecodeOptions & { layout: Layout<unknown>; epochMs: number; format: IdFormat | 'auto' } {
  const { layout, epochMs } = resolveLayoutFlags(values);
  const format = choiceOption(decodeFlags.format.flag, values.format ?? 'auto', inputFormats);
  if (format === 'uuid') requireUuidLayout(decodeFlags.format.flag, layout);
  const origin = choiceOption(decodeFlags.origin.flag, values.origin ?? 'flakery', decodeOrigins);
  if (origin === 'any' && !layout.readForeign) {
    throw new InvalidOptionError(decodeFlags.origin.flag, `${decodeFlags.origin.flag} any goes with --layout uuidv7: ${layout.name} IDs come from Flakery only`);
  }
  return { layout, epoch: epochMs, epochMs, format, origin };
}

function stdinLines(io: CliIo): AsyncIterable<string> {
  return createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
}

/** The library's message, which names the ID when it could not be read; else prefixed by it. */
function describeInvalid(text: string, error: InvalidIdError): string {
  return error.message.startsWith('"') ? error.message : `${show(text.trim())} is not a valid ID: ${error.message}`;
}
