import type { Clock } from '../clock/Clock.js';
import type { Layout } from '../layouts/Layout.js';
import type { TimeGate } from './TimeGate.js';

/** A generator's validated configuration; `createGenerator` builds it from user options. */
export interface GeneratorConfig<TNode> {
  readonly layout: Layout<TNode>;
  readonly node: TNode;
  /** Unix ms the layout's time field counts from. */
  readonly epochMs: number;
  readonly clock: Clock;
  /** No ID is issued at a Unix ms before this (`waitFor`, a restored high-water mark). */
  readonly notBeforeUnixMs: number;
  /** Asked before the first ID of each new millisecond. */
  readonly gates: readonly TimeGate[];
}
