/**
 * The name among `names` closest to `typed`, for a "did you mean" hint: compared without case,
 * dashes or underscores (so `maxCount` and `max_count` find `max-count`), by edit distance, and
 * only when close enough to be a likely typo (at most a third of the name, at least 2 edits).
 */
export function nearestName(typed: string, names: readonly string[]): string | undefined {
  const plain = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  const target = plain(typed);
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(target, plain(name));
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(target.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
