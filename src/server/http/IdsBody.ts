import { bytesToBigInt } from '../../id/IdBytes.js';
import { type IdFormat, formatId } from '../../id/IdFormat.js';

/**
 * Writes the body of `GET /v1/ids` piece by piece, as runs of IDs arrive from the IdService:
 * JSON `{"ids":["…",…]}` (IDs as strings: a 64-bit or 128-bit integer does not survive a
 * JavaScript or most JSON parsers' numbers), or with `text/plain` one ID per line.
 */
export class IdsBody {
  readonly contentType: string;
  readonly #json: boolean;
  readonly #format: IdFormat;
  readonly #idSize: number;
  #first = true;

  constructor(options: { plainText: boolean; format: IdFormat; idSize: number }) {
    this.#json = !options.plainText;
    this.contentType = options.plainText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    this.#format = options.format;
    this.#idSize = options.idSize;
  }

  head(): string {
    return this.#json ? '{"ids":[' : '';
  }

  /** `count` IDs of `bytes`, in order. */
  chunk(bytes: Uint8Array, count: number): string {
    const size = this.#idSize;
    let text = '';
    for (let i = 0; i < count; i++) {
      const id = formatId(bytesToBigInt(bytes, i * size, size), size, this.#format);
      if (this.#json) {
        text += this.#first ? `"${id}"` : `,"${id}"`;
        this.#first = false;
      } else {
        text += `${id}\n`;
      }
    }
    return text;
  }

  tail(): string {
    return this.#json ? ']}\n' : '';
  }
}
