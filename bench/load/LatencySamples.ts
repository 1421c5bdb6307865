/**
 * Request latencies in milliseconds, kept whole in a growing Float64Array so percentiles are
 * exact (a few hundred thousand samples per cell: a few MB, cheaper than any histogram to get
 * right). Each load worker fills its own and transfers the buffer; the parent merges and sorts.
 */
export class LatencySamples {
  #values = new Float64Array(16_384);
  #length = 0;

  add(ms: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = ms;
  }

  get length(): number {
    return this.#length;
  }

  /** The samples as a compact copy whose buffer can be transferred to another thread. */
  toArray(): Float64Array {
    return this.#values.slice(0, this.#length);
  }
}

/** All parts in one array, sorted ascending. */
export function mergeSorted(parts: readonly Float64Array[]): Float64Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const merged = new Float64Array(total);
  let offset = 0;
  for (const part of parts) {
    merged.set(part, offset);
    offset += part.length;
  }
  return merged.sort();
}

/**
 * The nearest-rank percentile (`p` in 0..100) of ascending samples: the smallest sample with at
 * least p % of the samples at or below it. NaN for no samples.
 */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
