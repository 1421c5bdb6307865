import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './support/paths.js';

/** The rooms docs/architecture.md calls the core, and the edges the core may never import. */
const CORE = ['layouts', 'id', 'generator', 'protocol', 'options', 'clock'];
const EDGES = ['machine', 'state', 'server', 'client', 'cli', 'net', 'files', 'inspector'];

function sources(room: string): string[] {
  const dir = join(repoRoot, 'src', room);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

describe('the rooms of docs/architecture.md', () => {
  it('GIVEN the core THEN no file imports a Node API or an edge room, so flakery/core runs in browsers and workers', () => {
    const offences: string[] = [];
    for (const room of CORE) {
      for (const file of sources(room)) {
        for (const target of imports(file)) {
          const edge = EDGES.find((name) => new RegExp(`^(\\.\\./)+${name}/`).test(target));
          if (target.startsWith('node:') || edge !== undefined) offences.push(`${relative(repoRoot, file)} imports ${target}`);
        }
      }
    }
    assert.deepEqual(offences, []);
  });

  it('GIVEN the client THEN it never imports the server', () => {
    const offences = sources('client').flatMap((file) =>
      imports(file)
        .filter((target) => /^\.\.\/server\//.test(target))
        .map((target) => `${relative(repoRoot, file)} imports ${target}`),
    );
    assert.deepEqual(offences, []);
  });
});
