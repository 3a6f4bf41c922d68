// Time comes through a Clock so that pure code and tests never read the wall clock themselves.
export interface Clock {
  now(): number; // epoch milliseconds
}

export const systemClock: Clock = { now: () => Date.now() };
