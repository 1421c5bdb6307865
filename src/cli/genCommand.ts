import { setTimeout as sleep } from 'node:timers/promises';
import { createLockedGenerator } from '../createLockedGenerator.js';
import { ClockError, InvalidOptionError, TimeRangeError } from '../errors.js';
import type { Generator } from '../generator/Generator.js';
import { containerIdentityWarning } from '../machine/hardwareId/containerIdentityWarning.js';
import { networkMacs } from '../machine/hardwareId/networkMacs.js';
import { type CliIo, type Command, EXIT_OK } from './Command.js';
import { type IdTextWriter, idTextWriter } from '../id/IdTextWriter.js';
import { type GenConfig, genFlags, resolveGenConfig } from './genConfig.js';
import { OutputWriter } from './OutputWriter.js';
import { describeFlags, parseArgs } from './parseArgs.js';

/** IDs per round of generate, format, write: about 160–330 KB of text. */
const CHUNK_IDS = 8192;
/** How far back the clock may step during a run before gen gives up instead of waiting. */
const MAX_CLOCK_WAIT_MS = 1000;

export const genCommand: Command = {
  name: 'gen',
  summary: 'print new IDs, one per line, in increasing order',
  help: () => `Usage: flakery gen [options]

Prints new IDs to stdout, one per line, strictly increasing.

Options:
${describeFlags(genFlags)}

Layouts:
  overt       128 bits: time 48 · sequence 16 · hardware id 48 · process id 16 (65,536 IDs/ms).
              No worker id to configure: the hardware id and process id name the node.
  overt53     128 bits, as overt but time and sequence fit the upper 53 bits (4,096 IDs/ms)
  snowflake   64 bits: 0 · time 41 · worker id 10 · sequence 12 (4,096 IDs/ms); needs --machine-id

Hardware id types (overt, overt53):
  mac         SHA-1 of the MAC addresses of all interfaces (the default, as overt-flake)
  simple      the first interface's MAC address
  host        the MACs plus hostname, /etc/machine-id and boot id: use this in containers,
              which often run as pid 1 with a MAC derived from their IP address, so that
              containers on different hosts can otherwise share hardware id and process id
  fixed       the 12 hex digits given with --hid

With --server, --tls or --ca FILE connects to servers started with \`flakery serve --tls-cert\`:
--ca trusts the named CA certificates (a self-signed server's own certificate, or a private CA)
instead of the system's; a certificate that does not verify fails with ERR_TLS.
With --server, --layout and --epoch name the servers' layout and epoch; an ID whose time is
more than a day from this machine's clock fails with ERR_IMPLAUSIBLE_ID (the servers' layout
or epoch is another), and a server that closes right after the auth token with ERR_AUTH_REFUSED.

Without --server, gen holds the same host lock as a server while it prints: with the worker
id of a running server on this host it refuses (ERR_WORKER_ID_IN_USE); overt, overt53 move
to the next free process id when the pid's is taken, and say so on stderr.

Exit status: 0 on success (also when the reader closes the pipe early, as head does),
1 when IDs cannot be made (the clock; the worker id is in use on this host; with --server,
no server answered, refused or TLS failed),
2 for a bad option.

Examples:
  flakery gen --count 3
  flakery gen --layout snowflake --machine-id 7 --count 1000000 > ids.txt
  flakery gen --hid-type host --format uuid | flakery decode
  flakery gen --server 10.0.0.1:4444,10.0.0.2:4444 --auth-token-file token --count 100
  flakery gen --server ids.internal:4444 --ca ca.pem --count 100`,

  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const config = await resolveGenConfig(parseArgs(argv, genFlags, 'flakery gen'));
    if (config.server) {
      const lines = idTextWriter(config.format, config.layout.byteLength);
      const { writeIdsFromServer } = await import('./genFromServer.js'); // the client, only for --server
      await writeIdsFromServer(config.server, config.count, lines, new OutputWriter(io.stdout));
      return EXIT_OK;
    }
    // Held while generating, as a server holds it: no other process on this host makes IDs
    // with this worker id or hardware id + process id meanwhile.
    const { generator, notice, release } = await createLockedGenerator(config.generator);
    try {
      checkEpoch(generator);
      if (notice) io.stderr.write(`flakery gen: ${notice}\n`);
      const warning = containerWarning(config);
      if (warning) io.stderr.write(`flakery gen: warning: ${warning}\n`);
      await writeIds(generator, config.count, idTextWriter(config.format, generator.idSize), new OutputWriter(io.stdout));
    } finally {
      await release();
    }
    return EXIT_OK;
  },
};

/**
 * Writes `count` IDs from `generator` as lines, in chunks: the generator fills a reused byte
 * buffer, the line writer turns the bytes straight into text in a fresh buffer (the stream
 * may still hold the last one), and the writer waits while the reader is behind. Stops
 * early, quietly, when the reader has gone.
 */
export async function writeIds(generator: Generator, count: number, lines: IdTextWriter, out: OutputWriter): Promise<void> {
  const ids = new Uint8Array(Math.min(count, CHUNK_IDS) * generator.idSize);
  for (let left = count; left > 0 && !out.closed; ) {
    const n = Math.min(left, CHUNK_IDS);
    const text = Buffer.allocUnsafe(n * lines.maxTextLength);
    const end = await generateLines(generator, ids, n, lines, text);
    await out.write(text.subarray(0, end));
    left -= n;
  }
  await out.flush();
}

/**
 * Makes `count` IDs in `ids` and their lines in `text`, and returns where the text ends.
 * When a millisecond's sequence is spent, it formats the IDs made so far instead of spinning
 * until the next one, so a layout with 4,096 IDs per ms (snowflake) is held back by its
 * sequence space alone, not by formatting. A clock that steps back by up to a second is
 * waited out; longer, and the ClockError ends the run.
 */
async function generateLines(generator: Generator, ids: Uint8Array, count: number, lines: IdTextWriter, text: Uint8Array): Promise<number> {
  const size = generator.idSize;
  let made = 0;
  let formatted = 0;
  let end = 0;
  while (made < count) {
    let got: number;
    try {
      got = generator.fillAvailable(ids, made * size, count - made);
    } catch (error) {
      if (!(error instanceof ClockError) || error.remainingMs > MAX_CLOCK_WAIT_MS) throw error;
      await sleep(error.remainingMs);
      continue;
    }
    made += got;
    if (got === 0 && formatted < made) {
      end = lines.write(ids.subarray(formatted * size), made - formatted, text, end);
      formatted = made;
    }
  }
  return lines.write(ids.subarray(formatted * size), count - formatted, text, end);
}

/**
 * An epoch after now, or so long ago that now overflows the layout's time bits, is a bad
 * --epoch (also the layout's default one: choosing another is the cure).
 */
function checkEpoch(generator: Generator): void {
  try {
    generator.msUntilReady();
  } catch (error) {
    if (error instanceof TimeRangeError) throw new InvalidOptionError(genFlags.epoch.flag, `--epoch ${generator.epochMs}: ${error.message}`);
    throw error;
  }
}

function containerWarning(config: GenConfig): string | undefined {
  // Only pid 1 can be a container's lone process; reading the MACs again costs nothing then.
  if (process.pid !== 1 || config.hardwareIdType === undefined) return undefined;
  return containerIdentityWarning(process.pid, networkMacs(), config.hardwareIdType);
}
