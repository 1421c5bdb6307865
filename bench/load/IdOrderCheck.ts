/**
 * Checks, as the bytes of one connection arrive, that its IDs are strictly increasing as
 * unsigned big-endian numbers (DESIGN.md promise 2: a connection gets increasing IDs, across
 * pipelined requests too). Answers carry no framing, so the stream is cut into fixed-size IDs
 * whatever the read boundaries; an ID split across two reads is put together first.
 *
 * Byte comparison stops at the first differing byte (the time bytes of neighbours are equal and
 * the sequence bytes differ), so the check costs the load generator a few ns per ID.
 */
export class IdOrderCheck {
  readonly idSize: number;
  /** IDs not greater than the one before them. Must be 0. */
  violations = 0;
  /** IDs checked. */
  ids = 0;
  readonly #previous: Uint8Array;
  #hasPrevious = false;
  readonly #partial: Uint8Array;
  #partialLength = 0;

  constructor(idSize: number) {
    if (!Number.isInteger(idSize) || idSize < 1) throw new RangeError(`idSize must be a positive integer, got ${idSize}`);
    this.idSize = idSize;
    this.#previous = new Uint8Array(idSize);
    this.#partial = new Uint8Array(idSize);
  }

  /** Bytes of an ID received only in part so far. */
  get pendingBytes(): number {
    return this.#partialLength;
  }

  /** Feeds `length` bytes of `bytes` from `offset`: the next part of the stream. */
  push(bytes: Uint8Array, offset = 0, length = bytes.length - offset): void {
    const size = this.idSize;
    const end = offset + length;
    let i = offset;
    if (this.#partialLength > 0) {
      const take = Math.min(size - this.#partialLength, end - i);
      this.#partial.set(bytes.subarray(i, i + take), this.#partialLength);
      this.#partialLength += take;
      i += take;
      if (this.#partialLength < size) return;
      this.#partialLength = 0;
      this.#accept(this.#partial, 0);
    }
    // Whole IDs in place: compare each with the one before it, copy out only the last.
    let previous = this.#previous;
    let previousOffset = 0;
    let hasPrevious = this.#hasPrevious;
    let ids = 0;
    let violations = 0;
    for (; i + size <= end; i += size) {
      if (hasPrevious && compareBytes(previous, previousOffset, bytes, i, size) >= 0) violations++;
      previous = bytes;
      previousOffset = i;
      hasPrevious = true;
      ids++;
    }
    if (ids > 0) {
      this.#previous.set(bytes.subarray(previousOffset, previousOffset + size));
      this.#hasPrevious = true;
      this.ids += ids;
      this.violations += violations;
    }
    if (i < end) {
      this.#partial.set(bytes.subarray(i, end), 0);
      this.#partialLength = end - i;
    }
  }

  #accept(id: Uint8Array, offset: number): void {
    if (this.#hasPrevious && compareBytes(this.#previous, 0, id, offset, this.idSize) >= 0) this.violations++;
    this.#previous.set(id.subarray(offset, offset + this.idSize));
    this.#hasPrevious = true;
    this.ids++;
  }
}

/** Sign of a − b over `size` bytes, as unsigned big-endian numbers. */
function compareBytes(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number, size: number): number {
  for (let k = 0; k < size; k++) {
    const d = a[aOffset + k]! - b[bOffset + k]!;
    if (d !== 0) return d;
  }
  return 0;
}
