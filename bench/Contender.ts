import type { IdColumns } from './comparable.js';

/**
 * One way of making IDs that the benchmark times and checks: a Flakery mode or a peer library
 * called the way its README shows. Each contender writes its own generation loop, so every
 * timed call site sees one function only and no contender pays for another's shape.
 */
export interface Contender {
  /** Row label: package and call, e.g. `flake-idgen next()`. */
  readonly name: string;
  /** Width of one ID. */
  readonly bits: 64 | 128;
  /**
   * Makes `count` IDs back to back and drops them: the timed loop. Throws PartialRun when the
   * library throws, saying how many IDs it made first.
   */
  generate(count: number): void;
  /**
   * Makes `count` IDs back to back, then writes them as unsigned integers into `ids` from
   * index `at`. Converting after the run keeps the run itself as fast as a user's. Throws
   * PartialRun after writing the IDs made before the library threw.
   */
  record(count: number, ids: IdColumns, at: number): void;
}

/** The Flakery modes peers are compared with. */
export type FlakeryModeKey =
  | 'snowflake-next'
  | 'snowflake-fill'
  | 'overt-fill'
  | 'overt-next'
  | 'overt53-fill'
  | 'uuidv7-fill'
  | 'uuidv7-text';

/** A Flakery mode, with the layout's ceiling: 2^sequenceBits IDs per millisecond. */
export interface FlakeryMode extends Contender {
  readonly key: FlakeryModeKey;
  /** IDs per second the layout's sequence allows one generator. */
  readonly limitPerSecond: number;
  /** Share of that limit the mode must reach, in percent, where the issue sets one. */
  readonly targetPercent?: number;
}

/** A peer library, with the Flakery mode it is measured against. */
export interface Peer extends Contender {
  /** 64-bit peers against `snowflake-next`, UUIDv7 peers against `uuidv7-text`, other 128-bit peers against `overt-fill`. */
  readonly reference: FlakeryModeKey;
}

/** Makes a contender when asked, so one that fails to construct costs only its own row. */
export interface Factory<T extends Contender> {
  readonly name: string;
  readonly create: () => T;
}

export function factory<T extends Contender>(name: string, create: (name: string) => T): Factory<T> {
  return { name, create: () => create(name) };
}

/** A library threw part-way through a run: `made` IDs came out before it did. */
export class PartialRun extends Error {
  readonly made: number;

  constructor(made: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PartialRun';
    this.made = made;
  }

  /** `thrown` caught after `before` IDs of a longer run, counted from that run's start. */
  static after(before: number, thrown: unknown): PartialRun {
    return thrown instanceof PartialRun
      ? new PartialRun(before + thrown.made, thrown.cause)
      : new PartialRun(before, thrown);
  }
}

/**
 * Makes `count` values with `make` into a scratch array, back to back, then writes each with
 * `write`. For `record` only: its call of `make` is shared by all contenders, which costs a few
 * nanoseconds per ID and matters nowhere but in the timed loop.
 */
export function recordEach<T>(
  count: number,
  ids: IdColumns,
  at: number,
  make: () => T,
  write: (ids: IdColumns, index: number, value: T) => void,
): void {
  const made = new Array<T>(count);
  let n = 0;
  let failure: unknown;
  let failed = false;
  try {
    for (; n < count; n++) made[n] = make();
  } catch (error) {
    failure = error;
    failed = true;
  }
  for (let k = 0; k < n; k++) write(ids, at + k, made[k] as T);
  if (failed) throw new PartialRun(n, failure);
}
