import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './Command.js';
import { errorLine, isUsageError } from './errorLine.js';
import { resolveOfsrvrConfig, ofsrvrFlags, ofsrvrUsage } from './ofsrvrFlags.js';
import { parseArgs } from './parseArgs.js';
import { type ServeRunOptions, runServe } from './serveRun.js';
import { packageVersion } from '../version.js';

const HELP = ['-help', '--help', '-h', '--h'];
const VERSION = ['-v', '--v', '-version', '--version'];

/**
 * `ofsrvr`: the overt-flake server's command line (its single-dash flags and meanings) in front
 * of Flakery's server. Resolves to the exit status: 0 after a clean stop or for -help and
 * -version, 1 when the server cannot start, 2 for a bad flag (one line on stderr).
 */
export async function runOfsrvr(
  argv: readonly string[],
  io: Pick<CliIo, 'stdout' | 'stderr'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: Pick<ServeRunOptions, 'stop' | 'shutdownTimeoutMs' | 'openFileLimit'> = {},
): Promise<number> {
  if (argv.some((arg) => HELP.includes(arg))) {
    io.stdout.write(`${versionLine()}\n${ofsrvrUsage}\n`);
    return EXIT_OK;
  }
  if (argv.some((arg) => VERSION.includes(arg))) {
    io.stdout.write(`${versionLine()}\n`);
    return EXIT_OK;
  }
  try {
    const warnings: string[] = [];
    const config = resolveOfsrvrConfig(parseArgs(argv, ofsrvrFlags, 'ofsrvr'), env, undefined, (line) => warnings.push(line));
    io.stderr.write(`${versionLine()}\n`);
    for (const line of warnings) io.stderr.write(`ofsrvr: warning: ${line}\n`);
    return await runServe(config, { ...options, program: 'ofsrvr', stdout: io.stdout, stderr: io.stderr });
  } catch (error) {
    const usage = isUsageError(error);
    io.stderr.write(`ofsrvr: ${errorLine(error)}${usage ? ' (see ofsrvr -help)' : ''}\n`);
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}

function versionLine(): string {
  return `ofsrvr (flakery ${packageVersion()}): overt-flake compatible ID server, Node.js ${process.version}`;
}
