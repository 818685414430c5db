/**
 * The clock port: core code asks it for the time so tests can pass a fake.
 *
 * @module
 */

/** A source of the current time. */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = {
  now(): Date {
    return new Date();
  },
};

/**
 * A clock that returns fixed times, advancing by `stepMs` on each call.
 *
 * @param start The first time returned.
 * @param stepMs Milliseconds added after each call.
 * @returns A fake clock.
 */
export function fixedClock(start: Date | string, stepMs = 0): Clock {
  let t = new Date(start).getTime();
  return {
    now(): Date {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
  };
}
