/**
 * Global uniqueness of IDs from many streams, checked online in bounded memory.
 *
 * Why a merge rather than a Set: a one-minute soak sees hundreds of millions of IDs; a Set of
 * them would take tens of GB, and sorting them all at the end nearly as much. But each stream
 * (one client's connection) is already strictly increasing — the server promises it and the
 * soak checks it per stream as the bytes arrive — so the streams can be merged like sorted runs.
 * In the merged order equal IDs are neighbours, so comparing each ID with the one merged before
 * it finds every duplicate across streams. The merge advances as soon as every live stream has
 * data, so it holds only the unmerged tail (about one answer per client), not the history.
 *
 * Cost: runs are taken whole. The stream with the smallest head gives up every ID below the
 * next-smallest head (found by binary search), and only the first ID of each run is compared
 * with the last merged one; inside a run the stream's own order check has already compared
 * neighbours. So the merge costs O(log n) comparisons per run, nothing per ID.
 */
export class UniquenessMerge {
  readonly idSize: number;
  /** IDs merged so far. */
  merged = 0;
  /** IDs equal to the ID merged before them: the same ID came on two streams. Must be 0. */
  duplicates = 0;
  /** Run starts below the ID merged before them: a stream was not increasing. Must be 0. */
  disorder = 0;
  /** The first duplicate found, as hex, for the report. */
  firstDuplicate: string | undefined;
  readonly #streams: Stream[];
  readonly #last: Uint8Array;
  #hasLast = false;
  #pendingBytes = 0;

  constructor(idSize: number, streams: number) {
    if (!Number.isInteger(idSize) || idSize < 1) throw new RangeError(`idSize must be a positive integer, got ${idSize}`);
    if (!Number.isInteger(streams) || streams < 1) throw new RangeError(`streams must be a positive integer, got ${streams}`);
    this.idSize = idSize;
    this.#last = new Uint8Array(idSize);
    this.#streams = Array.from({ length: streams }, () => ({ chunks: [], offset: 0, ended: false }));
  }

  /** Bytes received and not yet merged: the tail the merge holds. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * The next IDs of stream `index`: whole IDs, increasing and above the stream's earlier ones.
   * The merge keeps a reference to `bytes` until it has merged them; do not reuse the buffer.
   */
  push(index: number, bytes: Uint8Array): void {
    const stream = this.#stream(index);
    if (stream.ended) throw new Error(`stream ${index} has ended`);
    if (bytes.length % this.idSize !== 0) throw new RangeError(`${bytes.length} bytes is not a whole number of ${this.idSize}-byte IDs`);
    if (bytes.length === 0) return;
    stream.chunks.push(bytes);
    this.#pendingBytes += bytes.length;
    this.#drain();
  }

  /** Stream `index` will bring no more IDs: the merge no longer waits for it. */
  end(index: number): void {
    this.#stream(index).ended = true;
    this.#drain();
  }

  /** Merges as far as the data allows: until a live stream has nothing queued. */
  #drain(): void {
    const size = this.idSize;
    for (;;) {
      let min: Stream | undefined;
      let second: Stream | undefined;
      for (const stream of this.#streams) {
        const head = stream.chunks[0];
        if (head === undefined) {
          if (stream.ended) continue;
          return; // its next IDs could be smaller than anything queued: wait for them
        }
        if (min === undefined || compare(head, stream.offset, min.chunks[0]!, min.offset, size) < 0) {
          second = min;
          min = stream;
        } else if (second === undefined || compare(head, stream.offset, second.chunks[0]!, second.offset, size) < 0) {
          second = stream;
        }
      }
      if (min === undefined) return; // everything merged and every stream ended
      const chunk = min.chunks[0]!;
      const start = min.offset;
      const ids = (chunk.length - start) / size;
      // The run: every ID of this chunk below the second stream's head; at least the head itself.
      let take = ids;
      if (second !== undefined) {
        const limit = second.chunks[0]!;
        const limitOffset = second.offset;
        let lo = 0;
        let hi = ids;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (compare(chunk, start + mid * size, limit, limitOffset, size) < 0) lo = mid + 1;
          else hi = mid;
        }
        take = Math.max(lo, 1);
      }
      if (this.#hasLast) {
        const order = compare(chunk, start, this.#last, 0, size);
        if (order === 0) {
          this.duplicates++;
          this.firstDuplicate ??= hex(chunk, start, size);
        } else if (order < 0) {
          this.disorder++;
        }
      }
      const end = start + take * size;
      this.#last.set(chunk.subarray(end - size, end));
      this.#hasLast = true;
      this.merged += take;
      this.#pendingBytes -= take * size;
      if (end === chunk.length) {
        min.chunks.shift();
        min.offset = 0;
      } else {
        min.offset = end;
      }
    }
  }

  #stream(index: number): Stream {
    const stream = this.#streams[index];
    if (stream === undefined) throw new RangeError(`no stream ${index}; there are ${this.#streams.length}`);
    return stream;
  }
}

interface Stream {
  /** Queued IDs; the first is read from `offset`. */
  readonly chunks: Uint8Array[];
  offset: number;
  ended: boolean;
}

/** Sign of a − b over `size` bytes, as unsigned big-endian numbers. */
function compare(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number, size: number): number {
  for (let k = 0; k < size; k++) {
    const d = a[aOffset + k]! - b[bOffset + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

function hex(bytes: Uint8Array, offset: number, size: number): string {
  let text = '';
  for (let k = 0; k < size; k++) text += bytes[offset + k]!.toString(16).padStart(2, '0');
  return text;
}
