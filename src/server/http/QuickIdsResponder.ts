import type { IdService } from '../IdService.js';
import { hasBearerToken } from './bearerToken.js';
import { httpDate } from './httpDate.js';
import { IdsBody } from './IdsBody.js';
import { prefersPlainText } from './negotiate.js';
import type { QuickHead } from './readQuickHead.js';

export interface QuickIdsResponderOptions {
  readonly service: IdService;
  /** The bearer token requests must carry; `undefined`: none. */
  readonly token: Uint8Array | undefined;
  /** What node:http announces in `Keep-Alive: timeout=…` for the same server. */
  readonly keepAliveTimeoutMs: number;
}

/**
 * The whole HTTP/1.1 answer to a quick `GET /v1/ids` (see readQuickHead), written by hand:
 * the same status, headers and body node:http sends for it on the general path — `Cache-Control:
 * no-store`, the content type, `Content-Length`, `Date`, `Connection: keep-alive` and
 * `Keep-Alive: timeout=N` — minus node:http's per-request objects and header bookkeeping.
 *
 * `undefined` when the request is not to be answered here, with nothing written: no or a wrong
 * token (the general path answers 401, and no ID is spent), a generator that cannot issue now
 * (a spent millisecond, a clock behind, a time outside the layout), or fewer IDs than asked for.
 * IDs drawn in that last case are never sent: a gap in the sequence, which is allowed, never a
 * duplicate, since the general path draws fresh ones.
 */
export class QuickIdsResponder {
  readonly #service: IdService;
  readonly #token: Uint8Array | undefined;
  /** The head's lines after Date's value. */
  readonly #afterDate: string;

  constructor(options: QuickIdsResponderOptions) {
    this.#service = options.service;
    this.#token = options.token;
    // As node:http: whole seconds, rounded down (ServerResponse._storeHeader).
    this.#afterDate = `\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(options.keepAliveTimeoutMs / 1000)}\r\n\r\n`;
  }

  answer(head: QuickHead): string | undefined {
    if (this.#token !== undefined && !hasBearerToken(head.authorization, this.#token)) return undefined;
    const service = this.#service;
    const count = head.count;
    let ids: Uint8Array;
    try {
      // Asked first so that a clock far behind is reported once, by the general path, not
      // also by an issueNow that would throw here.
      if (service.generator.msUntilReady() !== 0) return undefined;
      ids = service.issueNow(count);
    } catch {
      return undefined; // the general path meets the same error and answers it
    }
    const size = service.idSize;
    if (ids.length !== count * size) return undefined;
    const body = new IdsBody({ plainText: head.accept !== undefined && prefersPlainText(head.accept), format: service.generator.layout.defaultFormat ?? 'decimal', idSize: size });
    const text = body.head() + body.chunk(ids, count) + body.tail(); // ASCII: length in characters is in bytes
    return (
      'HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: ' +
      body.contentType +
      '\r\nContent-Length: ' +
      text.length +
      '\r\nDate: ' +
      httpDate() +
      this.#afterDate +
      text
    );
  }
}
