/**
 * The `ofsrvr` command (bin/ofsrvr.js imports this). The exit status is set, not forced with
 * process.exit(), so stderr is written in full before Node exits.
 */
import { runOfsrvr } from './ofsrvr.js';

process.exitCode = await runOfsrvr(process.argv.slice(2), process);
