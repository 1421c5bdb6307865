import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (tests run from build/test/…). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
