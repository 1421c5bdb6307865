// flake-idgen ships no types: the part of its README's API the benchmark calls.
declare module 'flake-idgen' {
  interface FlakeIdOptions {
    /** Generator id 0–1023, instead of datacenter and worker. */
    id?: number;
    datacenter?: number;
    worker?: number;
    /** Unix ms subtracted from the time field. */
    epoch?: number;
  }
  class FlakeId {
    constructor(options?: FlakeIdOptions);
    /** An 8-byte big-endian ID; throws when the millisecond's 4,096 IDs are spent. */
    next(): Buffer;
    next(callback: (error: Error | null, id: Buffer) => void): void;
  }
  export = FlakeId;
}
