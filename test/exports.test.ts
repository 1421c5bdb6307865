import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './support/paths.js';

/** Every module `file` imports, transitively, as absolute paths of the TypeScript sources. */
function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)) {
    if (specifier!.startsWith('.')) importGraph(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')), seen);
    else seen.add(specifier!);
  }
  return seen;
}

describe('package entry points', () => {
  it('flakery/core pulls in no Node-only module or global', () => {
    const graph = importGraph(join(repoRoot, 'src', 'exports', 'core.ts'));
    const external = [...graph].filter((entry) => !entry.startsWith('/'));
    assert.deepEqual(external, [], 'the core imports nothing outside itself');
    for (const file of graph) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\bBuffer\b|\brequire\(|\bprocess\./, `${file} uses a Node-only global`);
    }
  });

  it('flakery and flakery/core load none of the inspector page\'s code', () => {
    for (const entry of ['index.ts', join('exports', 'core.ts')]) {
      const page = [...importGraph(join(repoRoot, 'src', entry))].filter((file) => file.startsWith(join(repoRoot, 'src', 'inspector')));
      assert.deepEqual(page, [], `${entry} imports the page`);
    }
  });

  it('every export path of package.json resolves, by the package name', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const main = await import('flakery');
    assert.equal(typeof main.createGenerator, 'function');
    assert.equal(typeof main.createClient, 'function');
    assert.equal(typeof (await import('flakery/core')).Generator, 'function');
    assert.equal(typeof (await import('flakery/client')).createClient, 'function');
    assert.equal(typeof (await import('flakery/server')).startIdNode, 'function');
    assert.deepEqual(Object.keys(pkg.exports), ['.', './core', './client', './server', './package.json']);
  });
});
