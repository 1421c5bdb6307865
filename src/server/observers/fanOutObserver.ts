import { type ServerObserver, silentObserver } from '../ServerObserver.js';

/**
 * One observer that passes every hook on to each of `observers`, in order: the listeners take a
 * single observer, the server usually wants metrics and logs both.
 *
 * Every observer gets every call even when an earlier one throws (a logger whose stream broke
 * must not blind the metrics); the first error is thrown after all have been called.
 */
export function fanOutObserver(...observers: readonly ServerObserver[]): ServerObserver {
  if (observers.length === 0) return silentObserver;
  if (observers.length === 1) return observers[0]!;
  const all = [...observers];
  const each = (call: (observer: ServerObserver) => void): void => {
    let failed = false;
    let first: unknown;
    for (const observer of all) {
      try {
        call(observer);
      } catch (error) {
        if (!failed) first = error;
        failed = true;
      }
    }
    if (failed) throw first;
  };
  return {
    connectionOpened: (listener) => each((o) => o.connectionOpened(listener)),
    connectionClosed: (listener) => each((o) => o.connectionClosed(listener)),
    requestFinished: (listener, outcome, ids, seconds) => each((o) => o.requestFinished(listener, outcome, ids, seconds)),
    idsIssued: (count, lastUnixMs) => each((o) => o.idsIssued(count, lastUnixMs)),
    sequenceExhausted: () => each((o) => o.sequenceExhausted()),
    clockBehind: (behindMs) => each((o) => o.clockBehind(behindMs)),
    workerIdChanged: (event) => each((o) => o.workerIdChanged?.(event)),
  };
}
