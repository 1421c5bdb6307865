/**
 * Cuts a keep-alive HTTP/1.1 connection's bytes into responses of `GET /v1/ids` (each with a
 * Content-Length: the server sends small answers whole) and checks that the IDs across them
 * are strictly increasing. IDs come as JSON strings of one format (decimal by default): for
 * decimal without leading zeros, and for the fixed-width hex and UUID forms, "longer, or as long
 * and greater as text" is "greater as a number", so no BigInt is needed.
 *
 * A response that is not a 200, or whose body has no IDs, counts in `errors`.
 */
export class HttpAnswerReader {
  /** IDs not greater than the one before them. Must be 0. */
  violations = 0;
  /** Responses that were not a 200 with IDs, or could not be parsed. */
  errors = 0;
  ids = 0;
  #pending = '';
  #previous = '';

  /** Consumes a chunk; returns how many responses it completed. */
  push(chunk: Uint8Array): number {
    this.#pending += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    let answers = 0;
    for (;;) {
      const headEnd = this.#pending.indexOf('\r\n\r\n');
      if (headEnd < 0) break;
      const head = this.#pending.slice(0, headEnd);
      const lengthMatch = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
      if (lengthMatch === null) {
        // A response without a length (a chunked stream) is not what this benchmark asks for.
        this.errors++;
        this.#pending = '';
        return answers;
      }
      const bodyStart = headEnd + 4;
      const bodyEnd = bodyStart + Number(lengthMatch[1]);
      if (this.#pending.length < bodyEnd) break;
      const body = this.#pending.slice(bodyStart, bodyEnd);
      this.#pending = this.#pending.slice(bodyEnd);
      answers++;
      if (!head.startsWith('HTTP/1.1 200 ')) this.errors++;
      else this.#checkIds(body);
    }
    return answers;
  }

  #checkIds(body: string): void {
    const open = body.indexOf('[');
    const close = body.lastIndexOf(']');
    if (open < 0 || close <= open + 1) {
      this.errors++;
      return;
    }
    for (const quoted of body.slice(open + 1, close).split(',')) {
      const id = quoted.slice(1, -1);
      if (this.#previous !== '' && !isGreater(id, this.#previous)) this.violations++;
      this.#previous = id;
      this.ids++;
    }
  }
}

function isGreater(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}
