import type { Clock } from '../clock/Clock.js';
import { FlakeryError } from '../errors.js';
import { Generator } from '../generator/Generator.js';
import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import type { TimeGate } from '../generator/TimeGate.js';
import type { SnowflakeNode } from '../layouts/SnowflakeLayout.js';
import { HeldNode } from '../machine/nodeLock/HeldNode.js';
import { NodeLock } from '../machine/nodeLock/NodeLock.js';
import { StaticWorkerIdSource } from '../machine/workerId/StaticWorkerIdSource.js';
import type { WorkerIdLease } from '../machine/workerId/WorkerIdLease.js';
import { parseWorkerIdSource } from '../machine/workerId/parseWorkerIdSource.js';
import { HighWaterMark } from '../state/HighWaterMark.js';
import { canonicalStateFilePath } from '../state/stateFile.js';
import { startWaitMs } from '../state/startWait.js';
import type { IdService } from './IdService.js';
import { refusePlaceholderNode } from './placeholderWorkerId.js';
import type { ServerConfig } from './ServerConfig.js';
import type { ServerObserver, WorkerIdEvent } from './ServerObserver.js';

/** What a running node reports about its guards, for health checks and the banner. */
export type GuardHealth = { readonly ok: true } | { readonly ok: false; readonly code: FlakeryError['code']; readonly reason: string };

/**
 * Everything that keeps a server's IDs unique beyond one process's memory, opened before the
 * generator exists: the persisted high-water mark (`--state-file`) and, for the snowflake
 * layout, the worker id — fixed in config and locked on this host, or leased (env, hostname
 * ordinal, Redis); for overt and overt53, the hardware id + process id, locked on this host
 * (see {@link HeldNode}: a taken process id moves to the next free one). The generator is then made with their gates and a start time past both
 * the restored mark and the previous holder of the worker id.
 */
export class NodeGuards {
  readonly highWaterMark: HighWaterMark | undefined;
  readonly lease: WorkerIdLease | undefined;
  /** overt, overt53: the node identity locked on this host; its process id may not be the pid's. */
  readonly heldNode: HeldNode | undefined;
  /** No ID before this Unix ms. */
  readonly notBeforeUnixMs: number;
  /**
   * How long the node must wait at start for the clock to pass the restored high-water mark or
   * the worker id's previous holder, measured when the guards were opened (0: no wait). Not
   * `waitFor`, which may be far off and is served by refusing.
   */
  readonly startWaitMs: number;
  /** What the start wait waits for, `for …`, for the line that announces it ('' when there is none). */
  readonly startWaitReason: string;
  /** Keeps any other node on this host off the state file while this one writes it. */
  readonly #stateFileLock: NodeLock | undefined;
  #observer: ServerObserver | undefined;

  private constructor(
    stateFileLock: NodeLock | undefined,
    highWaterMark: HighWaterMark | undefined,
    lease: WorkerIdLease | undefined,
    heldNode: HeldNode | undefined,
    notBeforeUnixMs: number,
    startWait: { ms: number; reason: string },
  ) {
    this.#stateFileLock = stateFileLock;
    this.highWaterMark = highWaterMark;
    this.lease = lease;
    this.heldNode = heldNode;
    this.notBeforeUnixMs = notBeforeUnixMs;
    this.startWaitMs = startWait.ms;
    this.startWaitReason = startWait.reason;
  }

  /**
   * Opens the state file and takes the worker id or locks the overt node. Fails with
   * ERR_STATE_FILE, ERR_WORKER_ID, ERR_WORKER_ID_IN_USE, ERR_NODE_ID_IN_USE, or
   * ERR_START_WAIT_EXCEEDED when the clock is further behind the restored mark than
   * `maxStartWaitMs`; whatever was taken is given back on failure. A lease whose last holder is
   * unknown waits one TTL (`lease.status().waitReason`); that wait is not a clock fault and does
   * not count against `maxStartWaitMs`.
   */
  static async open(config: ServerConfig, clock: Clock = config.generator.clock): Promise<NodeGuards> {
    if (config.workerId?.source !== 'spec') refusePlaceholderNode(config.generator.node);
    const stateFileLock = config.stateFile === undefined ? undefined : await lockStateFile(config.stateFile);
    let mark: HighWaterMark | undefined;
    let lease: WorkerIdLease | undefined;
    let heldNode: HeldNode | undefined;
    try {
      mark = config.stateFile === undefined ? undefined : HighWaterMark.open(config.stateFile);
      lease = await acquireWorkerId(config);
      // No server setting chooses the process id: it is always the pid's, free to move.
      if (config.workerId === undefined) heldNode = await HeldNode.lock(config.generator, { automaticProcessId: true });
      const leaseWaitReason = lease?.status().waitReason;
      const fromTombstone = leaseWaitReason === undefined ? (lease?.notBeforeUnixMs ?? 0) - 1 : 0;
      const restored = Math.max(mark?.restored ? mark.restoredUnixMs : 0, fromTombstone);
      const now = clock.now();
      const clockWaitMs =
        restored > 0 ? startWaitMs(restored, now, config.maxStartWaitMs, mark?.restored ? config.stateFile : 'the worker id lease') : 0;
      const leaseWaitMs = leaseWaitReason === undefined ? 0 : Math.max(0, lease!.notBeforeUnixMs - now);
      const notBefore = Math.max(config.generator.notBeforeUnixMs, restored > 0 ? restored + 1 : 0, lease?.notBeforeUnixMs ?? 0);
      const startWait =
        leaseWaitMs > clockWaitMs
          ? { ms: leaseWaitMs, reason: `for any earlier holder of worker id ${lease!.workerId} to stop (Redis has no record of its last holder: the fleet's first start, or Redis lost its data)` }
          : { ms: clockWaitMs, reason: clockWaitMs > 0 ? 'for the clock to pass the restored high-water mark' : '' };
      return new NodeGuards(stateFileLock, mark, lease, heldNode, notBefore, startWait);
    } catch (error) {
      await lease?.release().catch(() => {});
      await heldNode?.release();
      await mark?.close();
      await stateFileLock?.release();
      throw error;
    }
  }

  /** The generator, with the guards' gates and start time, and the leased worker id or held node. */
  createGenerator(config: GeneratorConfig<unknown>): Generator<unknown> {
    return this.#generator(this.heldNode?.apply(config) ?? config, this.lease?.gate, this.lease?.workerId, this.notBeforeUnixMs);
  }

  /**
   * Follows the lease once the server runs: when another node took the worker id and a new
   * one was leased, the service switches to a generator under the new id, starting after
   * both the new id's previous holder and the last ID this node issued, so IDs keep
   * increasing and never repeat. Tells `observer` (logs, metrics) of every worker id event,
   * starting with `acquired` now.
   */
  attach(service: IdService, config: GeneratorConfig<unknown>, observer?: ServerObserver): void {
    const lease = this.lease;
    if (lease === undefined) return;
    this.#observer = observer;
    lease.on('changed', ({ previousWorkerId, workerId, gate, notBeforeUnixMs, waitReason }) => {
      const last = service.generator.lastIssuedUnixMs ?? 0;
      const notBefore = Math.max(this.notBeforeUnixMs, notBeforeUnixMs, last + 1);
      service.replaceGenerator(this.#generator(config, gate, workerId, notBefore));
      this.#report({ kind: 'changed', previousWorkerId, notBeforeUnixMs: notBefore, ...reason(waitReason) });
    });
    lease.on('lost', (error) => this.#report({ kind: 'lost', reason: error.message }));
    lease.on('regained', ({ notBeforeUnixMs, waitReason }) => this.#report({ kind: 'regained', notBeforeUnixMs, ...reason(waitReason) }));
    this.#report({ kind: 'acquired', notBeforeUnixMs: this.notBeforeUnixMs, ...reason(lease.status().waitReason) });
  }

  /** For /healthz: the worker id and how its lease stands (nothing for overt layouts). */
  healthDetails(): Record<string, unknown> {
    const lease = this.lease?.status();
    return lease === undefined ? {} : { workerId: lease.workerId, lease };
  }

  health(): GuardHealth {
    const lease = this.lease?.status();
    if (lease && lease.state !== 'held') {
      return {
        ok: false,
        code: 'ERR_LEASE_LOST',
        reason: `worker id ${lease.workerId} from ${lease.source} is ${lease.state}${lease.lastError ? `: ${lease.lastError}` : ''}`,
      };
    }
    const mark = this.highWaterMark?.status();
    if (mark?.lastError !== undefined) {
      return { ok: false, code: 'ERR_STATE_FILE', reason: `state file ${mark.path}: ${mark.lastError}` };
    }
    return { ok: true };
  }

  /** Lines for the start-up banner. */
  describe(): string[] {
    const lines: string[] = [];
    const lease = this.lease?.status();
    if (lease) lines.push(`worker id ${lease.workerId} from ${lease.source}`);
    const moved = this.heldNode?.describeMove();
    if (moved) lines.push(moved);
    if (this.highWaterMark) {
      const { path, restored, restoredUnixMs } = this.highWaterMark;
      lines.push(`state file ${path}${restored ? ` (restored mark ${new Date(restoredUnixMs).toISOString()})` : ' (new)'}`);
    }
    return lines;
  }

  /** Gives the worker id back and closes the state file; the service issues nothing after. */
  async close(): Promise<void> {
    const held = this.lease !== undefined && this.lease.status().state !== 'released';
    await this.lease?.release();
    if (held) this.#report({ kind: 'released' });
    await this.heldNode?.release();
    await this.highWaterMark?.close();
    await this.#stateFileLock?.release();
  }

  #report(event: Pick<WorkerIdEvent, 'kind' | 'previousWorkerId' | 'reason' | 'notBeforeUnixMs'>): void {
    const status = this.lease!.status();
    try {
      this.#observer?.workerIdChanged?.({ ...event, workerId: status.workerId, source: status.source, state: status.state });
    } catch {
      // A broken log stream must not stop the lease from being followed.
    }
  }

  #generator(config: GeneratorConfig<unknown>, leaseGate: TimeGate | undefined, workerId: number | undefined, notBeforeUnixMs: number): Generator<unknown> {
    const gates = [...config.gates];
    if (this.highWaterMark) gates.push(this.highWaterMark);
    if (leaseGate) gates.push(leaseGate);
    const node = workerId === undefined ? config.node : ({ workerId } satisfies SnowflakeNode);
    refusePlaceholderNode(node);
    return new Generator({ ...config, node, gates, notBeforeUnixMs: Math.max(config.notBeforeUnixMs, notBeforeUnixMs) });
  }
}

/**
 * The host lock on the state file (ERR_STATE_FILE while another node holds it). In one namespace
 * for all: lock namespaces let deployments share identities, but no two may share a mark.
 */
async function lockStateFile(path: string): Promise<NodeLock> {
  return NodeLock.acquire({ kind: 'stateFile', path: canonicalStateFilePath(path) }, { namespace: 'any' });
}

async function acquireWorkerId(config: ServerConfig): Promise<WorkerIdLease | undefined> {
  if (config.workerId === undefined) return undefined;
  if (config.workerId.source === 'config') {
    const { workerId } = config.generator.node as SnowflakeNode;
    return new StaticWorkerIdSource(workerId, 'config').acquire();
  }
  const source = parseWorkerIdSource(config.workerId.spec, {
    option: config.workerId.from,
    redis: { ...config.workerIdLease },
  });
  return source.acquire();
}

function reason(waitReason: string | undefined): { reason?: string } {
  return waitReason === undefined ? {} : { reason: waitReason };
}
