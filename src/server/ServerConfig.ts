import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import type { LayoutName } from '../layouts/registry.js';
import type { HardwareIdType } from '../machine/hardwareId/hardwareIdProviders.js';
import type { HostPort } from '../net/hostPort.js';
import { tcpServerDefaults } from './TcpIdServer.js';
import { idServiceDefaults } from './IdService.js';

/**
 * The ID server's whole configuration, validated: what `flakery serve`, `ofsrvr` (Go-style
 * flags) and their YAML files all turn into, through `resolveServerConfig`. Nothing in it needs
 * checking again, and the token is never to be printed (the banner says only whether auth is on).
 */
export interface ServerConfig {
  /** Where the TCP listener binds; port 0 picks a free one. */
  readonly listen: HostPort;
  readonly layout: LayoutName;
  /**
   * The generator's validated config (layout, epoch, node, clock, `waitFor` as notBeforeUnixMs).
   * `gates` is empty: restart safety and worker-id leases add theirs when the generator is made.
   */
  readonly generator: GeneratorConfig<unknown>;
  /** overt layouts: where the hardware id came from. */
  readonly hardwareIdType: HardwareIdType | undefined;
  /** The token clients must send, parsed once into bytes (at most 255: the TCP limit, src/net/authToken.ts); undefined for none. Never log or print it. */
  readonly authToken: Uint8Array | undefined;
  /** The largest count one request may ask for. */
  readonly maxCount: number;
  /** Per listener. */
  readonly maxConnections: number;
  /**
   * The flag or key that set maxConnections; absent: the default, which `flakery serve` and
   * `ofsrvr` lower to fit the open-file limit (connectionCaps).
   */
  readonly maxConnectionsFrom?: string | undefined;
  /** 0: never. */
  readonly idleTimeoutMs: number;
  /** 0: no limit. */
  readonly authTimeoutMs: number;
  /** A clock behind by up to this is waited out; further, requests are refused. */
  readonly maxClockWaitMs: number;
  /** `--state-file`: where the high-water mark is kept; undefined: no restart safety across crashes. */
  readonly stateFile: string | undefined;
  /** Longest wait at start for the clock to pass the restored mark; further, start fails. */
  readonly maxStartWaitMs: number;
  /**
   * snowflake only: where the worker id comes from. `config` is the fixed machine id in the
   * generator config (locked on this host); otherwise an `--worker-id-from` spec.
   */
  readonly workerId: { readonly source: 'config' } | { readonly source: 'spec'; readonly spec: string; readonly from: string } | undefined;
  /**
   * Redis leases: key prefix, time to live, and the password when given apart from the URL
   * (never log or print it).
   */
  readonly workerIdLease: { readonly keyPrefix: string; readonly ttlMs: number; readonly password?: string };
  /** Warnings the front end noticed reading the settings (a secret file others can read). */
  readonly settingWarnings?: readonly string[];
}

/** One value as the user gave it, and where: the flag or key as spelled (`-machineid`, `--max-count`, `cfg.yml: epoch`). */
export interface Setting<T> {
  readonly value: T;
  readonly from: string;
  /** What the front end noticed reading it that the operator should hear at start (never the value). */
  readonly warning?: string;
}

/**
 * What the command lines and config files say, not yet validated: each front end (serve flags,
 * ofsrvr flags, YAML) fills in what it was given, later sources overriding earlier ones, and
 * `resolveServerConfig` checks the merged result once, naming each bad value by its `from`.
 */
export interface ServerSettings {
  readonly listen?: Setting<string>;
  /** `overt`, `overt53`, `snowflake`; ofsrvr's gentype is mapped to these by its front end. */
  readonly layout?: Setting<string>;
  readonly epoch?: Setting<string | number>;
  readonly hidType?: Setting<string>;
  /** The fixed hardware id, already as bytes (the front end knows whether its flag is hex or a string). */
  readonly hardwareId?: Setting<Uint8Array>;
  readonly machineId?: Setting<string | number>;
  readonly datacenterId?: Setting<string | number>;
  readonly waitFor?: Setting<string | number>;
  readonly authToken?: Setting<string | Uint8Array>;
  readonly maxCount?: Setting<string | number>;
  readonly maxConnections?: Setting<string | number>;
  readonly idleTimeout?: Setting<string | number>;
  readonly authTimeout?: Setting<string | number>;
  readonly maxClockWait?: Setting<string | number>;
  readonly stateFile?: Setting<string>;
  readonly maxStartWait?: Setting<string | number>;
  readonly workerIdFrom?: Setting<string>;
  readonly workerIdKeyPrefix?: Setting<string>;
  readonly workerIdTtl?: Setting<string | number>;
  /** The Redis password for `redis://` leases, kept out of the URL (and so out of `ps`). */
  readonly workerIdRedisPassword?: Setting<string>;
}

/** Defaults shared by every front end; ofsrvr overrides `listen` with overt-flake's 0.0.0.0:4444. */
export const serverDefaults = {
  listen: '127.0.0.1:4444',
  maxCount: tcpServerDefaults.maxCount,
  maxConnections: tcpServerDefaults.maxConnections,
  idleTimeoutMs: tcpServerDefaults.idleTimeoutMs,
  authTimeoutMs: tcpServerDefaults.authTimeoutMs,
  maxClockWaitMs: idServiceDefaults.maxClockWaitMs,
  maxStartWaitMs: 10_000,
  workerIdKeyPrefix: 'flakery:worker:',
  workerIdTtlMs: 10_000,
} as const;

/**
 * `flags` over `file`, as overt-flake merges them: a flag given wins, an absent one leaves the
 * file's value. A fixed hardware id from the file is dropped when the hardware id type ends up
 * other than `fixed` (overt-flake only reads it for `fixed`), so `-hidtype mac` can override a
 * file written for a fixed id.
 */
export function mergeSettings(file: ServerSettings, flags: ServerSettings): ServerSettings {
  const merged: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  const result = merged as ServerSettings;
  const type = result.hidType === undefined ? undefined : String(result.hidType.value).toLowerCase();
  if (result.hardwareId !== undefined && result.hardwareId === file.hardwareId && type !== undefined && type !== 'fixed') {
    return { ...result, hardwareId: undefined };
  }
  return result;
}
