/**
 * Named epochs, in milliseconds since the Unix epoch. A layout's time field counts from one of
 * these (or from any non-negative integer the operator gives).
 */
export const epochs = {
  /** 2017-01-01T00:00:00Z, overt-flake's default. */
  overtone: 1483228800000,
  /** 2010-11-04T01:42:54.657Z, Twitter Snowflake's. */
  twitter: 1288834974657,
  /** 2016-12-05T08:51:41.749Z, Snowflakex's. */
  snowflakex: 1480927901749,
  /** 2015-01-01T00:00:00Z, Discord's. */
  discord: 1420070400000,
  /** 1970-01-01T00:00:00Z. */
  unix: 0,
} as const satisfies Record<string, number>;

export type EpochName = keyof typeof epochs;

export function isEpochName(name: string): name is EpochName {
  return Object.hasOwn(epochs, name);
}
