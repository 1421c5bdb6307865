/** What a load worker is asked to do (its workerData). */
export interface LoadWorkerInput {
  readonly listener: 'tcp' | 'http';
  readonly host: string;
  readonly port: number;
  /** Connections this worker opens. */
  readonly connections: number;
  readonly idsPerRequest: number;
  readonly idSize: number;
  /** Requests kept in flight on each connection: 1 is closed loop, more is pipelined. */
  readonly depth: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Keep the event loop busy (setImmediate) instead of sleeping in epoll while answers are awaited. */
  readonly spin: boolean;
  /** After the window: how long answers still in flight may take before sockets are cut. */
  readonly drainTimeoutMs: number;
}

/** What a load worker measured in its window. */
export interface LoadWorkerResult {
  /** Requests whose answer completed inside the window. */
  readonly requests: number;
  readonly ids: number;
  /** The window's real length. */
  readonly windowMs: number;
  /** Latency of each request counted in `requests`, ms, send to last byte of its answer. */
  readonly samples: Float64Array;
  /** Over the whole run (warm-up and drain too): IDs that were not above the one before. */
  readonly violations: number;
  /** IDs checked for order over the whole run. */
  readonly idsChecked: number;
  /** Bad answers: non-200s, bytes nobody asked for, connections the server closed. */
  readonly errors: number;
  /** Share of the window this worker's event loop was busy (0..1). */
  readonly utilization: number;
}

export type FromLoadWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'window'; readonly edge: 'start' | 'end' }
  | { readonly type: 'result'; readonly result: LoadWorkerResult }
  | { readonly type: 'failed'; readonly message: string };

export type ToLoadWorker = { readonly type: 'start' };
