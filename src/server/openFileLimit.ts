import { readFileSync } from 'node:fs';

/**
 * The process's soft limit on open files (RLIMIT_NOFILE), read from `/proc/self/limits`: Node
 * has no getrlimit. `undefined` where that file does not exist (not Linux) or says `unlimited`.
 */
export function readOpenFileLimit(limitsText: string | undefined = readLimits()): number | undefined {
  const match = limitsText === undefined ? null : /^Max open files\s+(\d+)\s/m.exec(limitsText);
  return match ? Number(match[1]) : undefined;
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'latin1');
  } catch {
    return undefined;
  }
}
