/**
 * A check a generator makes before it issues the first ID of each new millisecond.
 * `admit` returns normally to allow IDs at `unixMs`, or throws a FlakeryError to refuse them
 * (the generator then issues nothing and passes the error on).
 *
 * Gates are how the edges add promises without the core knowing about files or networks:
 * a high-water mark persists a time ahead of use, a worker-id lease refuses once it can no
 * longer be sure it still holds its id. They are called at most once per millisecond.
 */
export interface TimeGate {
  admit(unixMs: number): void;
}
