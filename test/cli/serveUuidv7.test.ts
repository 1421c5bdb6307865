import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { validate, version } from 'uuid';
import { IdClient } from '../../src/client/IdClient.js';
import { decode, formatId } from '../../src/index.js';
import { get } from '../server/http/httpTestServer.js';
import { repoRoot } from '../support/paths.js';
import { flakeryBin } from './runFlakery.js';

const HID = '0242ac110002';

function assertOurUuidV7(text: string, processId: number): void {
  assert.ok(validate(text), `${text} is a UUID`);
  assert.equal(version(text), 7);
  const fields = decode(text, { layout: 'uuidv7' });
  assert.equal(fields.hardwareId, HID);
  assert.equal(fields.processId, processId % 2 ** 14);
}

/** `flakery serve --layout uuidv7` as a real process, asked over TCP (the client) and HTTP. */
describe('flakery serve --layout uuidv7 (real process)', () => {
  let child: ChildProcessWithoutNullStreams;
  let stderr = '';
  let exited: Promise<number | null>;
  let httpBase: string;
  let tcpAddress: string;

  before(async () => {
    child = spawn(
      process.execPath,
      [flakeryBin, 'serve', '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', '--layout', 'uuidv7', '--hid', HID],
      { cwd: repoRoot },
    );
    const waiters: (() => void)[] = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      wake();
    });
    child.stdout.resume();
    exited = new Promise((resolve) => child.on('exit', (code) => (wake(), resolve(code))));
    while (!/listening on (\S+)\n/.test(stderr)) {
      assert.equal(child.exitCode, null, `flakery serve exited:\n${stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    httpBase = /^ {2}http +(\S+)$/m.exec(stderr)![1]!;
    tcpAddress = /listening on (\S+)\n/.exec(stderr)![1]!;
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('GIVEN HTTP without a format, on the quick path (keep-alive) and the general one THEN UUIDs, in order, carrying the node', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const one = (await get(`${httpBase}/v1/ids`, { agent })).json().ids as string[];
      const three = (await get(`${httpBase}/v1/ids?count=3`, { agent })).json().ids as string[];
      const plain = (await get(`${httpBase}/v1/ids?count=2`, { agent, headers: { Accept: 'text/plain' } })).body.trim().split('\n');
      const general = (await get(`${httpBase}/v1/ids?count=1`, { headers: { Connection: 'close' } })).json().ids as string[];
      checkIds([...one, ...three, ...plain, ...general]);
    } finally {
      agent.destroy();
    }
  });

  function checkIds(ids: string[]): void {
    assert.equal(ids.length, 7);
    for (const id of ids) assertOurUuidV7(id, child.pid!);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  }

  it('GIVEN format=decimal or hex THEN that format; GET /v1/ids/{uuid} decodes it', async () => {
    const [decimal] = (await get(`${httpBase}/v1/ids?format=decimal`)).json().ids as string[];
    const [hex] = (await get(`${httpBase}/v1/ids?format=hex`)).json().ids as string[];
    assert.match(decimal!, /^\d+$/);
    assert.match(hex!, /^[0-9a-f]{32}$/);
    assert.ok(BigInt(decimal!) < BigInt(`0x${hex}`));
    const uuid = formatId(BigInt(decimal!), 16, 'uuid');
    const decoded = (await get(`${httpBase}/v1/ids/${uuid}`)).json();
    assert.equal(decoded.layout, 'uuidv7');
    assert.equal(decoded.hardwareId, HID);
  });

  it('GIVEN the TCP client THEN 16-byte UUIDv7s from the same generator, after the HTTP ones', async () => {
    const [last] = (await get(`${httpBase}/v1/ids?format=decimal`)).json().ids as string[];
    const client = new IdClient({ servers: [tcpAddress], layout: 'uuidv7' });
    try {
      const bytes = await client.nextBytes(500);
      assert.equal(bytes.length, 500 * 16);
      const ids = await client.nextBatch(3);
      assert.ok(ids[0]! > BigInt(last!), 'one generator behind both listeners');
      for (const id of ids) assertOurUuidV7(formatId(id, 16, 'uuid'), child.pid!);
      for (let i = 0; i < 500; i++) {
        assertOurUuidV7(formatId(BigInt(`0x${Buffer.from(bytes.subarray(i * 16, i * 16 + 16)).toString('hex')}`), 16, 'uuid'), child.pid!);
      }
    } finally {
      await client.close();
    }
  });

  it('GIVEN SIGTERM THEN it exits 0', async () => {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  });
});
