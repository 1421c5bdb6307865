/** The hardware id providers a generator may be asked for by name. */
export type HardwareIdProviderName = 'mac' | 'simple' | 'host';

export const hardwareIdProviderNames: readonly HardwareIdProviderName[] = ['mac', 'simple', 'host'];

/**
 * Where named hardware ids come from. They read the machine (network interfaces, hostname), so
 * only the Node entry (`flakery`) brings them; `flakery/core` has none unless they are passed in,
 * and takes a fixed hardware id (6 bytes or 12 hex digits) otherwise.
 */
export type HardwareIdProviders = Partial<Readonly<Record<HardwareIdProviderName, () => Uint8Array>>>;

/** What the platform gives the options resolver beyond the options themselves. */
export interface GeneratorPlatform {
  readonly hardwareIds?: HardwareIdProviders;
  /**
   * The process id a hardware-id node (overt, overt53, uuidv7) takes when the `processId`
   * option is not given: the Node entry passes `process.pid`. Without it, 0 — so in a browser
   * or worker give each generator that shares a hardware id its own `processId`.
   */
  readonly processId?: number;
}
