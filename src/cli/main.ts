/**
 * The `flakery` command (bin/flakery.js imports this). The exit status is set, not forced with
 * process.exit(), so output still buffered for a slow reader is written before Node exits.
 */
import { runCli } from './runCli.js';

process.exitCode = await runCli(process.argv.slice(2), process);
