import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { runOfsrvr } from '../../src/cli/ofsrvr.js';
import { NodeLock } from '../../src/machine/nodeLock/NodeLock.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

describe('ofsrvr: how a failure to start reads', () => {
  it('GIVEN its worker id held on this host THEN one line ending with the code, as flakery prints it, and status 1', async () => {
    const workerId = 900 + (process.pid % 100);
    const held = await NodeLock.acquire({ kind: 'worker', workerId });
    try {
      const stdout = capture();
      const stderr = capture();
      const status = await runOfsrvr(['-ip', '127.0.0.1:0', '-gentype', 'twitter', '-machineid', String(workerId)], {
        stdout: stdout.stream,
        stderr: stderr.stream,
      });
      assert.equal(status, 1);
      const last = stderr.text().trimEnd().split('\n').at(-1)!;
      assert.match(last, new RegExp(`^ofsrvr: worker id ${workerId} is already in use on this host: .* \\[ERR_WORKER_ID_IN_USE\\]$`));
    } finally {
      await held.release();
    }
  });

  it('GIVEN a bad flag THEN no code, a pointer to -help, and status 2', async () => {
    const stderr = capture();
    const status = await runOfsrvr(['-port', 'many'], { stdout: capture().stream, stderr: stderr.stream });
    assert.equal(status, 2);
    assert.match(stderr.text(), /^ofsrvr: .*\(see ofsrvr -help\)\n$/);
    assert.doesNotMatch(stderr.text(), /\[ERR_/);
  });
});
