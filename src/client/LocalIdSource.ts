import { FlakeryError } from '../errors.js';
import type { Generator } from '../generator/Generator.js';
import { checkCount } from './checkCount.js';
import type { IdSource } from './IdSource.js';

/**
 * A Generator in this process as an {@link IdSource}, so code written against IdSource runs
 * with a local generator in tests and small deployments and with a server client elsewhere.
 * Calls are synchronous underneath: a batch spins at most 1 ms per spent millisecond, and a
 * clock that stepped back rejects with the generator's ClockError.
 */
export class LocalIdSource implements IdSource {
  readonly generator: Generator<unknown>;
  #closed = false;

  constructor(generator: Generator<unknown>) {
    this.generator = generator;
  }

  get idSize(): number {
    return this.generator.idSize;
  }

  async next(): Promise<bigint> {
    this.#checkOpen();
    return this.generator.next();
  }

  async nextBatch(count: number): Promise<bigint[]> {
    this.#checkOpen();
    return this.generator.nextBatch(checkCount(count, this.idSize));
  }

  async nextBytes(count: number): Promise<Uint8Array> {
    this.#checkOpen();
    return this.generator.nextBytes(checkCount(count, this.idSize));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #checkOpen(): void {
    if (this.#closed) throw new FlakeryError('ERR_CLIENT_CLOSED', 'this IdSource is closed');
  }
}
