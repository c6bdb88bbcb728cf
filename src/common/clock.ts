// The one clock of the service: every time it writes or compares (deadlines, phases, the notice end,
// audit times, token expiry, login throttling, sheet times) is read here, so tests and the demo can
// move it. This file is the only place in src/ that reads the system time (test/unit/clock-guard.spec.ts).

/** The injectable clock (a Nest provider: inject it by this class). */
export abstract class Clock {
  abstract now(): Date;

  /** Now in whole seconds since the epoch (JWT `iat`/`exp` are counted so). */
  seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}

/** Production: the system time. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that is set, for tests and the demo only (CLOCK=fixed:… or CLOCK=from:…, refused when
 * NODE_ENV=production). `fixed` stands still until moved; `from` runs at real speed from where it
 * was set. It is moved in-process (`set`, `advance`): there is no HTTP endpoint for it.
 */
export class SetClock extends Clock {
  private at: number;
  /** The system time when `at` was set, for a running clock; null when it stands still. */
  private since: number | null;

  constructor(at: Date, running: boolean) {
    super();
    this.at = at.getTime();
    this.since = running ? Date.now() : null;
  }

  get running(): boolean {
    return this.since !== null;
  }

  now(): Date {
    return new Date(this.since === null ? this.at : this.at + (Date.now() - this.since));
  }

  /** Sets the time (and whether it runs on from there; unchanged when omitted). */
  set(at: Date | string, running: boolean = this.running): void {
    const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
    if (!Number.isFinite(t)) throw new Error(`SetClock.set: not a time: ${String(at)}`);
    this.at = t;
    this.since = running ? Date.now() : null;
  }

  advance(ms: number): void {
    this.set(new Date(this.now().getTime() + ms));
  }
}

/** What CLOCK says: the system time, or a set clock starting at `at`. */
export type ClockSetting = { kind: 'system' } | { kind: 'fixed' | 'from'; at: Date };

export function createClock(setting: ClockSetting): Clock {
  return setting.kind === 'system' ? new SystemClock() : new SetClock(setting.at, setting.kind === 'from');
}

/** The clock as a set one, or an error naming why not (the demo and tests need to move it). */
export function settable(clock: Clock): SetClock {
  if (!(clock instanceof SetClock)) throw new Error('The service runs on the system clock: start it with CLOCK=fixed:<time> or CLOCK=from:<time> to move it');
  return clock;
}

/** The warning logged at start when the service runs on a set clock. */
export function clockBanner(setting: ClockSetting): string | null {
  if (setting.kind === 'system') return null;
  return `*** SET CLOCK (CLOCK=${setting.kind}:${setting.at.toISOString()}): the service does NOT run on the real time. For tests and the demo only. ***`;
}
