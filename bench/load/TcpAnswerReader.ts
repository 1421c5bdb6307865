import { IdOrderCheck } from './IdOrderCheck.js';

/**
 * Cuts one TCP connection's byte stream into answers. The protocol has no framing on the way
 * back: an answer to a request for N IDs is exactly N × idSize bytes, so counting bytes is how a
 * client (and this load generator) knows where one answer ends. Every byte also goes through the
 * order check.
 */
export class TcpAnswerReader {
  readonly answerBytes: number;
  readonly check: IdOrderCheck;
  #remaining: number;

  constructor(idsPerRequest: number, idSize: number) {
    this.answerBytes = idsPerRequest * idSize;
    this.check = new IdOrderCheck(idSize);
    this.#remaining = this.answerBytes;
  }

  /** IDs that arrived out of order: must be 0. */
  get violations(): number {
    return this.check.violations;
  }

  get ids(): number {
    return this.check.ids;
  }

  /** Consumes a chunk; returns how many answers it completed. */
  push(chunk: Uint8Array): number {
    this.check.push(chunk);
    let length = chunk.length;
    if (length < this.#remaining) {
      this.#remaining -= length;
      return 0;
    }
    length -= this.#remaining;
    const answers = 1 + Math.floor(length / this.answerBytes);
    this.#remaining = this.answerBytes - (length % this.answerBytes);
    return answers;
  }
}
