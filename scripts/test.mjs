#!/usr/bin/env node
// Runs every compiled test file (build/test/**/*.test.js) with Node's test runner. Node 20's
// `node --test DIR` would also run the support modules beside them, so the list is made here.
// Only files whose source (test/**/*.test.ts) still exists run: tsc never deletes the output of
// a test that was removed or renamed, and a stale one would fail against today's build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2); // optional path fragments: npm test -- protocol
const files = readdirSync(join(root, 'build', 'test'), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
  .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))
  .filter((file) => existsSync(join(root, file.replace(/^build[\\/]/, '').replace(/\.js$/, '.ts'))))
  .filter((file) => only.length === 0 || only.some((fragment) => file.includes(fragment)))
  .sort();
if (files.length === 0) {
  process.stderr.write('test: no test files matched\n');
  process.exit(1);
}
// Servers and gen lock their worker id or hardware id + process id on the host: a namespace of
// the run's own keeps the tests' locks apart from a real service's and from other runs'.
const env = { ...process.env, FLAKERY_LOCK_NAMESPACE: process.env.FLAKERY_LOCK_NAMESPACE || `test-${process.pid}` };
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit', env });
process.exit(result.status ?? 1);
