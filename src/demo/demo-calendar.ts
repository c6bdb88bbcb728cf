// The demo's calendar: each year is played in its own time by moving the service's clock.
import type { SetClock } from '../common/clock.js';

/**
 * The service's clock when the demo starts it (CLOCK, see README): the demo plays each year in its
 * own time, moving that clock (in-process, never over HTTP) from one day of the calendar to the next.
 */
export const DEMO_CLOCK = 'from:2020-06-01T09:00:00+08:00';

/** A moment of the demo's calendar, in China Standard Time: cst('2020-09-29 10:00'). */
export const cst = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** Sets the clock to a moment in China Standard Time; it runs on from there, so one step's times still follow each other. */
export const dayOf = (clock: SetClock) => (local: string): void => clock.set(cst(local), true);
