import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createClient } from '../../src/client/createClient.js';
import { decode } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';
import { lines, runFlakery } from './runFlakery.js';

// Real processes on one host: two servers, or a server and `flakery gen`, that would name
// their IDs alike must not both issue them. The PID namespace cases run each process as
// pid 1 of its own namespace (`unshare --pid --fork --mount-proc`), as host-network
// containers do; they share this network namespace, which is what the host lock covers.

const flakery = join(repoRoot, 'bin', 'flakery.js');
const children = new Set<ChildProcessWithoutNullStreams>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** `unshare` with `--kill-child`: killing it kills the node inside, pid 1 of its own namespace. */
const asPid1 = ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc'];
const canUnshare = process.platform === 'linux' && process.getuid?.() === 0;

interface Server {
  readonly address: string;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `flakery serve ARGS` (behind `prefix`, e.g. unshare) and waits for its "listening on" line. */
function serve(args: readonly string[], prefix: readonly string[] = []): Promise<Server> {
  const argv = [...prefix, process.execPath, flakery, 'serve', '--listen', '127.0.0.1:0', ...args];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: repoRoot });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stderr = '';
  child.stdout.resume();
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const listening = /listening on (\S+)\n/.exec(stderr);
      if (listening) {
        resolve({
          address: listening[1]!,
          stderr: () => stderr,
          stop: async () => {
            // unshare ignores SIGTERM while it waits for its child; killing it kills the child.
            child.kill(prefix.length > 0 ? 'SIGKILL' : 'SIGTERM');
            await exited;
            children.delete(child);
          },
        });
      }
    });
    void exited.then(() => reject(new Error(`flakery serve exited before listening; stderr:\n${stderr}`)));
  });
}

async function fetchIds(server: Server, count: number): Promise<bigint[]> {
  const client = createClient({ servers: [server.address], layout: 'overt' });
  try {
    return await client.nextBatch(count);
  } finally {
    await client.close();
  }
}

/** The node part of an overt ID: hardware id and process id. */
function nodeOf(id: bigint | string): string {
  const fields = decode(id, { layout: 'overt' });
  return `${fields.hardwareId}/${fields.processId}`;
}

describe('servers and gen on one host', () => {
  it('GIVEN flakery serve --layout snowflake --machine-id N running THEN flakery gen with that machine id refuses (exit 1, ERR_WORKER_ID_IN_USE)', async () => {
    const server = await serve(['--layout', 'snowflake', '--machine-id', '977']);
    try {
      const result = await runFlakery(['gen', '--layout', 'snowflake', '--machine-id', '977', '--count', '5']);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^flakery gen: worker id 977 is already in use on this host: .*\[ERR_WORKER_ID_IN_USE\]\n$/);

      const other = await runFlakery(['gen', '--layout', 'snowflake', '--machine-id', '978', '--count', '5']);
      assert.equal(other.status, 0, other.stderr);
      assert.equal(lines(other.stdout).length, 5);

      // Another lock namespace is another deployment: its worker id 977 is its own.
      const elsewhere = await runFlakery(['gen', '--layout', 'snowflake', '--machine-id', '977'], '', { env: { FLAKERY_LOCK_NAMESPACE: `other-${process.pid}` } });
      assert.equal(elsewhere.status, 0, elsewhere.stderr);
      const badNamespace = await runFlakery(['gen', '--layout', 'snowflake', '--machine-id', '977'], '', { env: { FLAKERY_LOCK_NAMESPACE: 'a/b' } });
      assert.equal(badNamespace.status, 2);
      assert.match(badNamespace.stderr, /FLAKERY_LOCK_NAMESPACE: the node lock namespace must be 1 to 64 letters/);
    } finally {
      await server.stop();
    }
  });

  it('GIVEN flakery serve running with --state-file THEN a second flakery serve given that file (another worker id) exits with ERR_STATE_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flakery-shared-state-'));
    const stateFile = join(dir, 'node.state');
    const server = await serve(['--layout', 'snowflake', '--machine-id', '971', '--state-file', stateFile]);
    try {
      // Before the fix it started, and the two overwrote each other's mark (after() stops it).
      await assert.rejects(serve(['--layout', 'snowflake', '--machine-id', '972', '--state-file', stateFile]), (error: Error) => {
        assert.match(error.message, new RegExp(`state file ${stateFile} \\(--state-file\\) is already in use on this host: .*give each node its own --state-file \\[ERR_STATE_FILE\\]\n$`));
        return true;
      });
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('each as pid 1 of its own PID namespace, sharing the network', { skip: canUnshare ? false : 'needs Linux and root for unshare --pid' }, () => {
    it('GIVEN two flakery serve --hid-type host THEN the second takes another process id, and no ID repeats', async () => {
      const first = await serve(['--hid-type', 'host'], asPid1);
      const second = await serve(['--hid-type', 'host'], asPid1);
      try {
        const [a, b] = await Promise.all([fetchIds(first, 2000), fetchIds(second, 2000)]);
        const nodesA = new Set(a.map(nodeOf));
        const nodesB = new Set(b.map(nodeOf));
        assert.equal(nodesA.size, 1);
        assert.equal(nodesB.size, 1);
        const [nodeA] = nodesA;
        const [nodeB] = nodesB;
        assert.match(nodeA!, /\/1$/, 'the first server keeps its pid, 1, as process id');
        assert.notEqual(nodeB, nodeA, 'the second server must not issue IDs with the first one\'s hardware id and process id');
        assert.equal(new Set([...a, ...b]).size, a.length + b.length);
        assert.match(second.stderr(), /process id 1 is in use on this host by another generator with this hardware id .*: using process id 2\n/);
        assert.match(second.stderr(), /\bprocessId=2\b/, 'the banner shows the process id the server really uses');
      } finally {
        await Promise.all([first.stop(), second.stop()]);
      }
    });

    it('GIVEN flakery serve running THEN flakery gen with the same hardware id takes another process id and says so', async () => {
      const hid = '0a1b2c3d4e5f';
      const server = await serve(['--hid', hid], asPid1);
      try {
        const result = await runFlakery(['gen', '--hid', hid, '--count', '3000', '--format', 'hex'], '', { prefix: asPid1 });
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stderr, /^flakery gen: process id 1 is in use on this host .*: using process id 2\n/);
        const fromGen = lines(result.stdout).map((hex) => BigInt(`0x${hex}`));
        const fromServer = await fetchIds(server, 3000);
        assert.deepEqual(new Set(fromGen.map(nodeOf)), new Set([`${hid}/2`]));
        assert.deepEqual(new Set(fromServer.map(nodeOf)), new Set([`${hid}/1`]));
        assert.equal(new Set([...fromGen, ...fromServer]).size, 6000);
      } finally {
        await server.stop();
      }
    });
  });
});
