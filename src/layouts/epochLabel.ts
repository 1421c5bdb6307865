import { epochs } from './epochs.js';

/** An epoch for messages: its name when it has one (`overtone`), else its Unix ms. */
export function epochLabel(epochMs: number): string {
  return Object.entries(epochs).find(([, ms]) => ms === epochMs)?.[0] ?? String(epochMs);
}
