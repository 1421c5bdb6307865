import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificate {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The certificate's PEM: it is its own CA, so clients pass it as `ca`. */
  readonly cert: Buffer;
  /** Removes the directory. */
  remove(): Promise<void>;
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, valid for a day, made with the
 * openssl CLI into a new temporary directory. EC P-256 keeps key generation fast.
 */
export async function makeSelfSignedCert(commonName = 'localhost'): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'flakery-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run('/usr/bin/openssl', [
    'req', '-x509', '-nodes', '-days', '1',
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-keyout', keyFile, '-out', certFile,
    '-subj', `/CN=${commonName}`,
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return { dir, certFile, keyFile, cert: await readFile(certFile), remove: () => rm(dir, { recursive: true, force: true }) };
}
