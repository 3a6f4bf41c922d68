// Time comes through a Clock so that pure code and tests never read the wall clock themselves.
export interface Clock {
  now(): number; // epoch milliseconds
}

export const systemClock: Clock = { now: () => Date.now() };

export const isoNow = (clock: Clock = systemClock): string => new Date(clock.now()).toISOString();
