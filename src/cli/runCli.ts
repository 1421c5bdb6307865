import { FlakeryError, InvalidOptionError } from '../errors.js';
import { errorLine, isUsageError } from './errorLine.js';
import { type CliIo, type CommandEntry, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './Command.js';
import { commandList } from './commandList.js';
import { packageVersion } from '../version.js';

const HELP_FLAGS = ['--help', '-h'];
const VERSION_FLAGS = ['--version', '-v'];

/**
 * Runs `flakery` with `argv` (the arguments after the program name) and resolves to the exit
 * status: it never exits the process. `--help` and `--version` print to stdout; a bad command
 * line prints exactly one line to stderr, nothing to stdout, and gives status 2.
 */
export async function runCli(argv: readonly string[], io: CliIo, available: readonly CommandEntry[] = commandList): Promise<number> {
  const [first, ...rest] = argv;
  let prefix = 'flakery';
  try {
    if (first === undefined) {
      throw usage(`missing command: ${available.map(({ name }) => name).join(' or ')} (see flakery --help)`);
    }
    if (HELP_FLAGS.includes(first) || first === 'help') {
      const command = rest[0] === undefined ? undefined : await find(available, rest[0]).load();
      io.stdout.write(`${command ? command.help() : overview(available)}\n`);
      return EXIT_OK;
    }
    if (VERSION_FLAGS.includes(first)) {
      io.stdout.write(`flakery ${packageVersion()}\n`);
      return EXIT_OK;
    }
    const entry = find(available, first);
    prefix = `flakery ${entry.name}`;
    const command = await entry.load();
    if (asksForHelp(rest)) {
      io.stdout.write(`${command.help()}\n`);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`${prefix}: ${errorLine(error)}\n`);
    return isUsageError(error) ? EXIT_USAGE : EXIT_FAILURE;
  }
}

function find(available: readonly CommandEntry[], name: string): CommandEntry {
  const command = available.find((candidate) => candidate.name === name);
  if (!command) {
    const names = available.map((candidate) => candidate.name).join(', ');
    throw usage(`unknown command ${JSON.stringify(name)}; the commands are ${names} (see flakery --help)`);
  }
  return command;
}

/** `--help` anywhere before `--` wins over everything else on the line. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => HELP_FLAGS.includes(arg));
}

function usage(message: string): FlakeryError {
  return new FlakeryError('ERR_USAGE', message);
}

function overview(available: readonly CommandEntry[]): string {
  const width = Math.max(...available.map(({ name }) => name.length)) + 3;
  return `flakery: unique, k-sorted 64- and 128-bit IDs without coordination.

Usage: flakery <command> [options]

Commands:
${available.map(({ name, summary }) => `  ${name.padEnd(width)}${summary}`).join('\n')}

Options:
  -h, --help      show this help; \`flakery <command> --help\` shows a command's options
  -v, --version   show the version

In containers, make overt IDs with \`flakery gen --hid-type host\`: containers often run as
pid 1 with MACs derived from their IP address, and \`host\` mixes in the host's identity.`;
}
