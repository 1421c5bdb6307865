import { ClockError, FlakeryError, InvalidOptionError } from '../errors.js';
import type { TimeGate } from '../generator/TimeGate.js';
import { ensureStateDirectory, formatStateFile, prepareFileAtomic, readStateFile, writeFileAtomicSync } from './stateFile.js';

export interface HighWaterMarkOptions {
  /**
   * How far past an admitted time the persisted mark is written, in ms. Default 1000.
   *
   * The trade-off: a restart whose clock has not moved past the mark waits up to `aheadMs`
   * before it issues IDs, while under steady load the mark is rewritten (one fsync) about every
   * `aheadMs - refreshBelowMs` ms. At 1 s that is two fsyncs a second, negligible on any disk,
   * and the worst-case start-up delay is shorter than a supervised restart usually takes anyway.
   */
  aheadMs?: number;
  /**
   * Once less than this much of the reservation is left, an extension is written in the
   * background so that steady load never waits for an fsync. Default `aheadMs / 2`, which gives
   * a slow disk half a reservation (500 ms by default) to finish before the sync path is needed.
   */
  refreshBelowMs?: number;
}

export interface HighWaterMarkStatus {
  path: string;
  /** The mark read at start (0 when there was no file). */
  restoredUnixMs: number;
  /** The largest mark known to be on disk: IDs up to this time are protected. */
  durableUnixMs: number;
  /** Writes the hot path had to wait for (the reservation was used up). */
  syncWrites: number;
  /** Writes done in the background ahead of need. */
  asyncWrites: number;
  /** The last write failure, if the last write attempt failed. */
  lastError?: string;
}

/**
 * A persisted high-water mark (`--state-file PATH`): the time up to which this node may have
 * issued IDs, kept on disk so that a restart — even after a crash, even with a clock that went
 * back — never issues an ID at a time it may already have used.
 *
 * As a {@link TimeGate} it admits a millisecond only once a mark at or past it is durable. The
 * mark is written ahead of use (`aheadMs` past the admitted time), so most milliseconds are
 * admitted with no I/O; when less than `refreshBelowMs` is left, an extension is written in the
 * background, and only if the reservation runs out before that finishes does `admit` write
 * synchronously. A write that fails makes `admit` refuse with `ERR_STATE_FILE`: the node stops
 * issuing IDs rather than issue IDs a restart could repeat.
 *
 * On start the server waits until the clock passes {@link restoredUnixMs} (`waitFor = restored
 * + 1`); `admit` also refuses times at or before it, so the gate is safe on its own.
 */
export class HighWaterMark implements TimeGate {
  readonly path: string;
  /** The mark read from the file at start, or 0 when the file did not exist. */
  readonly restoredUnixMs: number;
  /** Whether a mark was read from an existing file. */
  readonly restored: boolean;

  readonly #tempPath: string;
  readonly #asyncTempPath: string;
  readonly #aheadMs: number;
  readonly #refreshBelowMs: number;
  /** On disk: every time up to this is covered. */
  #durableMs: number;
  /** The largest mark any write has been started with; writes never go below it. */
  #reservedMs: number;
  /** Counts synchronous writes; a background write whose rename would follow one is dropped. */
  #syncGeneration = 0;
  #syncWrites = 0;
  #asyncWrites = 0;
  #inFlight: Promise<void> | undefined;
  /** After a failed background write, no new one starts until admitted time reaches this. */
  #asyncRetryAtMs = 0;
  #lastError: string | undefined;
  #closed = false;

  private constructor(path: string, restored: number | undefined, aheadMs: number, refreshBelowMs: number) {
    this.path = path;
    this.restored = restored !== undefined;
    this.restoredUnixMs = restored ?? 0;
    this.#tempPath = `${path}.tmp`;
    this.#asyncTempPath = `${path}.next.tmp`;
    this.#aheadMs = aheadMs;
    this.#refreshBelowMs = refreshBelowMs;
    this.#durableMs = this.restoredUnixMs;
    this.#reservedMs = this.restoredUnixMs;
  }

  /**
   * Reads the state file at `path` (missing: a fresh start; a missing directory is created) and
   * checks that it can be written, by rewriting the current mark, so a bad path fails at start
   * rather than at the first ID. Throws `ERR_STATE_FILE` naming the path when the file is
   * unreadable, corrupt or unwritable, or its directory cannot be created.
   */
  static open(path: string, options: HighWaterMarkOptions = {}): HighWaterMark {
    const aheadMs = options.aheadMs ?? 1000;
    if (!Number.isSafeInteger(aheadMs) || aheadMs < 1 || aheadMs > 3_600_000) {
      throw new InvalidOptionError('aheadMs', `aheadMs must be an integer from 1 to 3600000 ms, got ${aheadMs}`);
    }
    const refreshBelowMs = options.refreshBelowMs ?? Math.floor(aheadMs / 2);
    if (!Number.isSafeInteger(refreshBelowMs) || refreshBelowMs < 0 || refreshBelowMs > aheadMs) {
      throw new InvalidOptionError(
        'refreshBelowMs',
        `refreshBelowMs must be an integer from 0 to aheadMs (${aheadMs}) ms, got ${refreshBelowMs}`,
      );
    }
    ensureStateDirectory(path);
    const mark = new HighWaterMark(path, readStateFile(path), aheadMs, refreshBelowMs);
    mark.#writeSync(mark.restoredUnixMs);
    return mark;
  }

  admit(unixMs: number): void {
    if (unixMs <= this.restoredUnixMs) {
      throw new ClockError('ERR_WAITING_FOR_START', this.restoredUnixMs + 1 - unixMs);
    }
    if (this.#closed) {
      throw new FlakeryError('ERR_STATE_FILE', `state file ${this.path} is closed: refusing to issue IDs`);
    }
    if (unixMs > this.#durableMs) {
      this.#syncWrites += 1;
      this.#writeSync(unixMs + this.#aheadMs);
    } else if (this.#durableMs - unixMs < this.#refreshBelowMs && this.#inFlight === undefined) {
      if (unixMs >= this.#asyncRetryAtMs) this.#inFlight = this.#extendInBackground(unixMs + this.#aheadMs);
    }
  }

  status(): HighWaterMarkStatus {
    const status: HighWaterMarkStatus = {
      path: this.path,
      restoredUnixMs: this.restoredUnixMs,
      durableUnixMs: this.#durableMs,
      syncWrites: this.#syncWrites,
      asyncWrites: this.#asyncWrites,
    };
    if (this.#lastError !== undefined) status.lastError = this.#lastError;
    return status;
  }

  /** Resolves once no background write is in flight (for tests and orderly shutdown). */
  async settled(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
  }

  /** Refuses further IDs and waits for a background write to finish. The mark stays on disk. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
  }

  /** Writes `max(target, reserved)` and waits for it: the only path that can block `admit`. */
  #writeSync(targetMs: number): void {
    const markMs = Math.max(targetMs, this.#reservedMs);
    this.#reservedMs = markMs;
    this.#syncGeneration += 1;
    try {
      writeFileAtomicSync(this.path, this.#tempPath, formatStateFile(markMs));
    } catch (err) {
      this.#lastError = (err as Error).message;
      throw new FlakeryError(
        'ERR_STATE_FILE',
        `cannot write the high-water mark to state file ${this.path} (--state-file): ` +
          `${(err as Error).message}; refusing to issue IDs until it can be written`,
        { cause: err },
      );
    }
    this.#lastError = undefined;
    this.#durableMs = Math.max(this.#durableMs, markMs);
  }

  /**
   * Writes a mark in the background. It uses its own temporary file, so it never touches the
   * synchronous path's, and it renames only if no synchronous write happened since it started:
   * a synchronous write always carries a mark at least as large (marks never go below
   * `#reservedMs`), and renaming the older, smaller mark over it would lose protection. The
   * check and the rename run in one turn of the event loop, where `admit` cannot interleave.
   */
  async #extendInBackground(targetMs: number): Promise<void> {
    const markMs = Math.max(targetMs, this.#reservedMs);
    this.#reservedMs = markMs;
    const generationAtStart = this.#syncGeneration;
    try {
      const prepared = await prepareFileAtomic(this.#asyncTempPath, formatStateFile(markMs));
      if (this.#syncGeneration !== generationAtStart) {
        await prepared.discard();
        return;
      }
      await prepared.commit(this.path);
      this.#asyncWrites += 1;
      this.#durableMs = Math.max(this.#durableMs, markMs);
      this.#lastError = undefined;
    } catch (err) {
      // Not fatal by itself: the synchronous path will try again, and refuse if it fails too.
      this.#lastError = (err as Error).message;
      this.#asyncRetryAtMs = targetMs - this.#aheadMs + Math.min(100, this.#refreshBelowMs);
    } finally {
      this.#inFlight = undefined;
    }
  }
}
