/** Reads the Unix ms time of the ID stored at `offset` (with the servers' layout and epoch). */
export type IdTimeReader = (bytes: Uint8Array, offset: number) => number;

/**
 * The IDs a prefetching client holds ahead of use: a ring of `idSize`-byte IDs with the two
 * rules that keep prefetched IDs as good as fresh ones. Pure: no sockets, no timers; the time
 * of hand-out is passed in.
 *
 * - **Order:** an ID that does not sort above every ID this buffer ever accepted is dropped on
 *   {@link push} (after a failover to a server whose clock is behind). So what is handed out is
 *   strictly increasing, also across servers; a drop is a gap, never a duplicate.
 * - **Age:** an ID whose time is more than `maxAgeMs` behind `nowMs` when it would be handed out
 *   is dropped on {@link take}, so a handed-out ID is never older than `maxAgeMs`.
 *
 * Because accepted IDs strictly increase and the time is the most significant field of every
 * layout, their times never decrease: once one ID is known fresh for a `nowMs`, every later one
 * is too. So the time is read only when that lower bound no longer suffices, not once per ID.
 */
export class PrefetchBuffer {
  readonly idSize: number;
  /** The most IDs the ring holds. */
  readonly capacity: number;
  /** How far behind the hand-out time an ID may be (`prefetch.maxAgeMs`). */
  readonly maxAgeMs: number;
  readonly #ring: Uint8Array;
  readonly #view: DataView;
  readonly #readTime: IdTimeReader;
  readonly #maxAgeMs: number;
  /** Index (in IDs) of the oldest ID held, and how many are held. */
  #head = 0;
  #size = 0;
  /** The highest ID ever accepted (the last one), or empty before the first. */
  readonly #highest: Uint8Array;
  #hasHighest = false;
  /** A time no later than that of every ID held or still to come. */
  #timeFloorMs = Number.NEGATIVE_INFINITY;
  /** IDs dropped by each rule, for benchmarks and monitoring. */
  droppedOutOfOrder = 0;
  droppedTooOld = 0;

  constructor(idSize: number, capacity: number, maxAgeMs: number, readTime: IdTimeReader) {
    this.idSize = idSize;
    this.capacity = capacity;
    this.#ring = new Uint8Array(idSize * capacity);
    this.#view = new DataView(this.#ring.buffer);
    this.#highest = new Uint8Array(idSize);
    this.#maxAgeMs = maxAgeMs;
    this.maxAgeMs = maxAgeMs;
    this.#readTime = readTime;
  }

  /** IDs held (some may be too old by the time they are asked for). */
  get size(): number {
    return this.#size;
  }

  /** Room left, in IDs. */
  get free(): number {
    return this.capacity - this.#size;
  }

  /** The time of the highest ID accepted so far, or undefined before the first. */
  get highestTimeMs(): number | undefined {
    return this.#hasHighest ? this.#readTime(this.#highest, 0) : undefined;
  }

  /** The Unix ms time of the ID at `offset` in `bytes`. */
  timeOf(bytes: Uint8Array, offset: number): number {
    return this.#readTime(bytes, offset);
  }

  /**
   * Appends the `count` increasing IDs at the start of `bytes` (a server's answer) until the ring
   * is full, dropping those that sort at or below the highest accepted so far. Returns how many
   * of the answer's IDs it used up (dropped or accepted); the rest did not fit.
   */
  push(bytes: Uint8Array, count: number): number {
    const size = this.idSize;
    let first = 0;
    if (this.#hasHighest) {
      // The answer increases, so the IDs to drop are a prefix of it: find its end.
      while (first < count && compareId(bytes, first * size, this.#highest, size) <= 0) first++;
    }
    this.droppedOutOfOrder += first;
    const accepted = Math.min(count - first, this.free);
    if (accepted <= 0) return first;
    let tail = (this.#head + this.#size) % this.capacity;
    for (let done = 0; done < accepted; ) {
      const run = Math.min(accepted - done, this.capacity - tail);
      const from = (first + done) * size;
      this.#ring.set(bytes.subarray(from, from + run * size), tail * size);
      done += run;
      tail = (tail + run) % this.capacity;
    }
    this.#size += accepted;
    const last = (first + accepted - 1) * size;
    this.#highest.set(bytes.subarray(last, last + size));
    this.#hasHighest = true;
    return first + accepted;
  }

  /**
   * Hands out up to `count` IDs into `out` from byte `outOffset`, after dropping those more than
   * `maxAgeMs` older than `nowMs`. Returns how many were written; each leaves the buffer.
   */
  take(count: number, out: Uint8Array, outOffset: number, nowMs: number): number {
    if (!this.#dropStale(nowMs)) return 0;
    const size = this.idSize;
    const n = Math.min(count, this.#size);
    for (let done = 0; done < n; ) {
      const run = Math.min(n - done, this.capacity - this.#head);
      out.set(this.#ring.subarray(this.#head * size, (this.#head + run) * size), outOffset + done * size);
      done += run;
      this.#head = (this.#head + run) % this.capacity;
    }
    this.#size -= n;
    return n;
  }

  /** One ID as an unsigned integer, or undefined when none fresh is held. */
  takeOne(nowMs: number): bigint | undefined {
    if (!this.#dropStale(nowMs)) return undefined;
    const view = this.#view;
    let at = this.#head * this.idSize;
    const end = at + this.idSize;
    let value = BigInt(view.getUint32(at));
    for (at += 4; at < end; at += 4) value = (value << 32n) | BigInt(view.getUint32(at));
    this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
    this.#size--;
    return value;
  }

  /** Drops every ID held (the order rule still remembers the highest accepted). */
  clear(): void {
    this.#head = 0;
    this.#size = 0;
  }

  /** Drops IDs too old at `nowMs` from the head; true when a fresh one is left. */
  #dropStale(nowMs: number): boolean {
    const oldestMs = nowMs - this.#maxAgeMs;
    while (this.#size > 0) {
      if (this.#timeFloorMs >= oldestMs) return true;
      const timeMs = this.#readTime(this.#ring, this.#head * this.idSize);
      this.#timeFloorMs = timeMs;
      if (timeMs >= oldestMs) return true;
      this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
      this.#size--;
      this.droppedTooOld++;
    }
    return false;
  }
}

/** Big-endian comparison of the ID at `offset` in `a` with the ID at the start of `b`. */
function compareId(a: Uint8Array, offset: number, b: Uint8Array, size: number): number {
  for (let i = 0; i < size; i++) {
    const diff = a[offset + i]! - b[i]!;
    if (diff !== 0) return diff;
  }
  return 0;
}
