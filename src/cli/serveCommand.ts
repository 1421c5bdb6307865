import type { CliIo, Command } from './Command.js';
import { opsFlags, resolveOpsFlags } from './opsFlags.js';
import { describeFlags, parseArgs } from './parseArgs.js';
import { resolveServeConfig, serveFlags } from './serveFlags.js';
import { runServe } from './serveRun.js';
import { serveSources } from './serveSources.js';

/**
 * The protocol flags and the operator's (HTTP API, TLS, logs: opsFlags.ts): also the keys of a
 * serve config file, so a new flag is a new key.
 */
export const serveCommandFlags = { ...serveFlags, ...opsFlags } as const;
const flags = serveCommandFlags;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the ID server (overt-flake TCP protocol)',
  help: () => `Usage: flakery serve [options]

Runs the ID server: clients connect over TCP and ask for IDs with the overt-flake protocol
(a 4-byte count; the answer is exactly that many IDs, increasing). The banner on stderr says
where it listens, the layout, the epoch and the node; never the auth token.

Options:
${describeFlags(flags)}

HTTP API, TLS and logs: --http HOST:PORT also serves GET /v1/ids, /v1/ids/{id}, /healthz and
/metrics (Prometheus) from the same generator, guarded by the same token (Authorization: Bearer).
--tls-cert and --tls-key put TLS on both listeners. See docs/http.md.

Output: with --log-format pretty (the default) the start-up banner, its notes and warnings, and
log events are lines for a person on stderr, ending with "listening on HOST:PORT". With
--log-format json the start ("started"), log events and the stop are JSON lines on stdout for a
log pipeline, and stderr stays empty unless the server cannot start.

Auth token: give it with --auth-token-file FILE or the FLAKERY_AUTH_TOKEN environment variable
(or the config file's auth-token-file). --auth-token works too, but every user of this machine
can read it in the process list (ps). A flag wins over the environment, which wins over the file.
Without a token, anyone who can connect gets IDs.

Config file (--config FILE, YAML): its keys are the long options above without the -- (listen,
http, machine-id, state-file, ...), each taking what the option takes; relative paths are relative
to the file. Flags override the file. auth-token is refused there: use auth-token-file. A
commented example with every key: docs/flakery-serve.example.yaml. A file with any of overt-flake's
own keys (ipAddr, hidType, genType, authToken, hardwareId, machineId, dataCenterId) is read as an
overt-flake server config; mixing the two formats is an error.

In containers use --hid-type host: containers often run as pid 1 with a MAC derived from their
IP address, so containers on different hosts can otherwise share hardware id and process id.

Stopping: SIGTERM or SIGINT stops accepting connections, finishes the answers in flight and
exits 0; a second signal cuts the remaining connections.

Exit status: 0 after a clean stop, 1 when the server cannot start (address in use), 2 for a bad option.

Examples:
  flakery serve --listen 0.0.0.0:4444 --auth-token-file /run/secrets/flakery-token
  flakery serve --layout snowflake --machine-id 7 --listen 127.0.0.1:4444`,

  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const program = 'flakery serve';
    const sources = serveSources(parseArgs(argv, flags, program), flags);
    const config = resolveServeConfig(sources, process.env);
    return runServe(config, { program, stdout: io.stdout, stderr: io.stderr, ops: resolveOpsFlags(sources.values) });
  },
};
