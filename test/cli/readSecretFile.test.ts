import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readSecretFile } from '../../src/cli/readSecretFile.js';
import { thrown } from '../support/thrown.js';

describe('readSecretFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flakery-secret-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a token with a trailing LF or CRLF THEN drops that one line ending, and only it', () => {
    const lf = join(dir, 'lf');
    writeFileSync(lf, 's3cret\n\n');
    assert.equal(Buffer.from(readSecretFile('--auth-token-file', lf, 'x')).toString(), 's3cret\n');
    const crlf = join(dir, 'crlf');
    writeFileSync(crlf, 's3cret\r\n');
    assert.equal(Buffer.from(readSecretFile('--auth-token-file', crlf, 'x')).toString(), 's3cret');
  });

  // Before: read whole: --auth-token-file /dev/zero never returned and grew without bound.
  it('GIVEN a file larger than 64 KiB (no secret is) THEN refuses it naming the flag and the path, not the contents', () => {
    const path = join(dir, 'big');
    writeFileSync(path, 'k'.repeat(64 * 1024 + 1));
    const error = thrown(() => readSecretFile('--auth-token-file', path, 'x'));
    assert.equal(error.code, 'ERR_INVALID_OPTION');
    assert.equal(error.message, `--auth-token-file: ${path} is larger than 64 KiB, too large for a secret: check the path`);
    assert.equal(thrown(() => readSecretFile('--auth-token-file', '/dev/zero', 'x')).code, 'ERR_INVALID_OPTION');
  });
});
