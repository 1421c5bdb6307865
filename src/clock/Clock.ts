/**
 * The one way Flakery reads time. The core never calls `Date.now()` itself, so tests drive
 * time through a {@link ManualClock} and a generator's behaviour is a function of its readings.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, as an integer. */
  now(): number;
}

/** The system's wall clock (`Date.now()`), which NTP may step backwards. */
export const systemClock: Clock = { now: () => Date.now() };
