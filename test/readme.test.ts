import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from './support/paths.js';

const run = promisify(execFile);
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const blocks = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
/** The shell examples' command lines, comments cut, `npx flakery` as the `flakery` it runs. */
const commandLines = () =>
  blocks('sh')
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').replaceAll('npx flakery ', 'flakery ').trim());

describe('README examples', () => {
  const scratch = mkdtempSync(join(repoRoot, 'build', 'readme-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const examples = blocks('ts');
  it('has library examples', () => assert.ok(examples.length >= 2));

  for (const [index, code] of examples.entries()) {
    it(`library example ${index + 1} runs and prints what its comments say`, async () => {
      // Inside the package, so `import 'flakery'` resolves to this build by the package's own name.
      const file = join(scratch, `example-${index}.mjs`);
      writeFileSync(file, code);
      const { stdout } = await run(process.execPath, [file], { cwd: repoRoot });
      const expected = [...code.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!.trim());
      assert.ok(expected.length > 0, 'each example says what it prints');
      assert.deepEqual(stdout.trim().split('\n'), expected);
    });
  }

  it('the command-line examples of gen and decode run', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'flakery-bin-'));
    try {
      const shim = join(bin, 'flakery');
      symlinkSync(join(repoRoot, 'bin', 'flakery.js'), shim);
      const lines = commandLines().filter((line) => /^flakery (gen|decode)\b/.test(line));
      assert.ok(lines.length >= 4);
      for (const line of lines) {
        const { stdout } = await run('bash', ['-o', 'pipefail', '-c', line], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
        assert.ok(stdout.trim().length > 0, `${line} printed something`);
        if (line.includes('004370f1c3f5000020823cfde6f1b3b5')) assert.match(stdout, /"unixMs":1772886501365/);
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('the serve example starts as written (its state directory created) beside npm start', async () => {
    const line = commandLines().find((candidate) => candidate.startsWith('flakery serve '));
    assert.ok(line !== undefined, 'README has a flakery serve example');
    const listen = /--listen (\S+):(\d+)/.exec(line);
    assert.ok(listen !== null && listen[2] !== '4444', 'it does not take npm start\'s port 4444');
    const stateFile = /--state-file (\S+)/.exec(line)?.[1];
    assert.ok(stateFile !== undefined && stateFile.startsWith('/'), 'it keeps a state file');
    // The same command with free ports, the state directory under a scratch directory (which
    // does not exist yet, as /var/lib/flakery does not on a fresh machine), and a worker id that
    // no other test on this host holds (the host-wide worker-id lock would refuse a second 7).
    const root = mkdtempSync(join(tmpdir(), 'flakery-serve-'));
    try {
      const localState = join(root, stateFile);
      const args = line
        .replace(/--listen \S+/, '--listen 127.0.0.1:0')
        .replace(/--http \S+/, '--http 127.0.0.1:0')
        .replace(/--machine-id \d+/, `--machine-id ${600 + (process.pid % 400)}`)
        .replace(stateFile, localState)
        .split(/\s+/)
        .slice(1);
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'flakery.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          if (/listening on \S+\n/.test(stderr)) resolve();
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
      });
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.ok(existsSync(localState), `${localState} was written`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
