import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from './support/paths.js';

const run = promisify(execFile);
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const blocks = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

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
      const lines = blocks('sh')
        .flatMap((block) => block.split('\n'))
        .map((line) => line.replace(/\s+#.*$/, '').trim())
        .filter((line) => /^flakery (gen|decode)\b/.test(line));
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
});
