import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './support/paths.js';

describe('docs/errors.md', () => {
  it('documents exactly the codes in src/errors.ts', () => {
    const source = readFileSync(join(repoRoot, 'src', 'errors.ts'), 'utf8');
    const union = source.slice(source.indexOf('export type ErrorCode'), source.indexOf(';', source.indexOf('export type ErrorCode')));
    const codes = new Set(union.match(/ERR_[A-Z_]+/g));
    const docs = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');
    const documented = new Set([...docs.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]));
    assert.ok(codes.size > 20);
    assert.deepEqual([...documented].sort(), [...codes].sort());
  });
});
