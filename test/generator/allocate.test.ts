import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Allocation, type SequenceState, allocate, initialState } from '../../src/index.js';

const limits = { maxSequence: 3, maxElapsedMs: 1000 };

const rows: { title: string; state: SequenceState; now: number; count: number; expected: Allocation }[] = [
  {
    title: 'a new millisecond starts the sequence at 0',
    state: { elapsedMs: 10, nextSequence: 2 },
    now: 11,
    count: 2,
    expected: { kind: 'issue', elapsedMs: 11, firstSequence: 0, count: 2, state: { elapsedMs: 11, nextSequence: 2 } },
  },
  {
    title: 'the same millisecond continues the sequence',
    state: { elapsedMs: 10, nextSequence: 1 },
    now: 10,
    count: 1,
    expected: { kind: 'issue', elapsedMs: 10, firstSequence: 1, count: 1, state: { elapsedMs: 10, nextSequence: 2 } },
  },
  {
    title: 'a request larger than the rest of the millisecond gets the rest',
    state: { elapsedMs: 10, nextSequence: 1 },
    now: 10,
    count: 100,
    expected: { kind: 'issue', elapsedMs: 10, firstSequence: 1, count: 3, state: { elapsedMs: 10, nextSequence: 4 } },
  },
  {
    title: 'a spent millisecond is exhausted, never wrapped',
    state: { elapsedMs: 10, nextSequence: 4 },
    now: 10,
    count: 1,
    expected: { kind: 'exhausted' },
  },
  {
    title: 'a clock behind the last millisecond refuses with the gap',
    state: { elapsedMs: 10, nextSequence: 1 },
    now: 7,
    count: 1,
    expected: { kind: 'behind', remainingMs: 3 },
  },
  {
    title: 'a clock before the epoch is refused',
    state: initialState(0),
    now: -1,
    count: 1,
    expected: { kind: 'beforeEpoch' },
  },
  {
    title: 'a clock past the time bits is refused, never wrapped',
    state: { elapsedMs: 1000, nextSequence: 0 },
    now: 1001,
    count: 1,
    expected: { kind: 'overflow' },
  },
  {
    title: 'the last millisecond the time bits hold is still usable',
    state: { elapsedMs: 999, nextSequence: 4 },
    now: 1000,
    count: 4,
    expected: { kind: 'issue', elapsedMs: 1000, firstSequence: 0, count: 4, state: { elapsedMs: 1000, nextSequence: 4 } },
  },
  {
    title: 'the initial state allows the epoch itself',
    state: initialState(-5),
    now: 0,
    count: 1,
    expected: { kind: 'issue', elapsedMs: 0, firstSequence: 0, count: 1, state: { elapsedMs: 0, nextSequence: 1 } },
  },
  {
    title: 'a not-before time refuses earlier readings',
    state: initialState(50),
    now: 20,
    count: 1,
    expected: { kind: 'behind', remainingMs: 30 },
  },
  {
    title: 'a not-before time allows its own millisecond from sequence 0',
    state: initialState(50),
    now: 50,
    count: 1,
    expected: { kind: 'issue', elapsedMs: 50, firstSequence: 0, count: 1, state: { elapsedMs: 50, nextSequence: 1 } },
  },
];

describe('allocate', () => {
  for (const row of rows) {
    it(row.title, () => {
      assert.deepEqual(allocate(row.state, row.now, row.count, limits), row.expected);
    });
  }
});
