import { bytesToBigInt } from '../../id/IdBytes.js';
import { type IdFormat, formatId } from '../../id/IdFormat.js';
import { type IdTextWriter, idTextWriter } from '../../id/IdTextWriter.js';

/**
 * Up to this many IDs a chunk is written one `formatId` at a time: for a few IDs that is
 * quicker than a pass through a byte buffer and back into a string (bench/idText.ts).
 */
const FEW_IDS = 4;
/** Where chunks are written before they become strings; grown when a larger chunk comes. */
let scratch = Buffer.allocUnsafe(64 * 1024);
/** One writer per layout width, format and body type, made once: a body is made per request. */
const writers = new Map<string, IdTextWriter>();

function writerFor(format: IdFormat, idSize: number, json: boolean): IdTextWriter {
  const key = `${format} ${idSize} ${json}`;
  let writer = writers.get(key);
  if (!writer) {
    // JSON items are written `,"…"`; the comma of the body's first one is left out.
    writer = idTextWriter(format, idSize, json ? { before: ',"', after: '"' } : { after: '\n' });
    writers.set(key, writer);
  }
  return writer;
}

/**
 * Writes the body of `GET /v1/ids` piece by piece, as runs of IDs arrive from the IdService:
 * JSON `{"ids":["…",…]}` (IDs as strings: a 64-bit or 128-bit integer does not survive a
 * JavaScript or most JSON parsers' numbers), or with `text/plain` one ID per line.
 */
export class IdsBody {
  readonly contentType: string;
  readonly #json: boolean;
  #text: IdTextWriter | undefined;
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
    if (count <= FEW_IDS) return this.#fewChunk(bytes, count);
    const text = (this.#text ??= writerFor(this.#format, this.#idSize, this.#json));
    const size = count * text.maxTextLength;
    if (scratch.length < size) scratch = Buffer.allocUnsafe(size);
    const end = text.write(bytes, count, scratch, 0);
    const start = this.#json && this.#first ? 1 : 0;
    this.#first = false;
    return scratch.toString('latin1', start, end);
  }

  #fewChunk(bytes: Uint8Array, count: number): string {
    const size = this.#idSize;
    let text = '';
    for (let i = 0; i < count; i++) {
      const id = formatId(bytesToBigInt(bytes, i * size, size), size, this.#format);
      text += this.#json ? `${this.#first ? '' : ','}"${id}"` : `${id}\n`;
      this.#first = false;
    }
    return text;
  }

  tail(): string {
    return this.#json ? ']}\n' : '';
  }
}
