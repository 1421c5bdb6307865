import { FlakeryError } from '../errors.js';

/**
 * Refusals: the server answered, and what it said shows a setting of this client (its token,
 * its layout or epoch) does not fit. When every server refused alike, the final error carries
 * that code rather than ERR_NO_SERVER_AVAILABLE, so the cause is not hidden behind failover.
 */
const REFUSAL_CODES: ReadonlySet<string> = new Set(['ERR_AUTH_REFUSED', 'ERR_IMPLAUSIBLE_ID', 'ERR_IDS_OUT_OF_ORDER']);

/** What went wrong with each server one request tried, for the error it fails with at last. */
export class FailoverFailures {
  readonly #messages: string[] = [];
  readonly #codes = new Set<unknown>();
  #last: unknown;

  add(address: string, error: unknown): void {
    const named = error instanceof Error && error.message.startsWith(address);
    this.#messages.push(named ? describe(error) : `${address}: ${describe(error)}`);
    this.#codes.add((error as { code?: unknown } | undefined)?.code);
    this.#last = error;
  }

  /**
   * ERR_NO_SERVER_AVAILABLE naming each server's failure, `cause` the last one; or, when every
   * server refused with one code, that refusal (itself, when there was one server).
   */
  toError(): FlakeryError {
    const [code] = this.#codes;
    if (this.#codes.size === 1 && typeof code === 'string' && REFUSAL_CODES.has(code)) {
      if (this.#messages.length === 1 && this.#last instanceof FlakeryError) return this.#last;
      return new FlakeryError(code as FlakeryError['code'], `every server refused: ${this.#messages.join('; ')}`, { cause: this.#last });
    }
    return new FlakeryError('ERR_NO_SERVER_AVAILABLE', `no ID server could answer: ${this.#messages.join('; ')}`, { cause: this.#last });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
