import type { CommandEntry } from './Command.js';

/**
 * Every `flakery` subcommand; a new one is one file and one entry here. The summaries repeat
 * the commands' own (a test checks they agree) so that listing them loads none of them.
 */
export const commandList: readonly CommandEntry[] = [
  {
    name: 'gen',
    summary: 'print new IDs, one per line, in increasing order',
    load: async () => (await import('./genCommand.js')).genCommand,
  },
  {
    name: 'decode',
    summary: 'print the fields of IDs as JSON, one object per line',
    load: async () => (await import('./decodeCommand.js')).decodeCommand,
  },
  {
    name: 'serve',
    summary: 'run the ID server (overt-flake TCP protocol)',
    load: async () => (await import('./serveCommand.js')).serveCommand,
  },
];
