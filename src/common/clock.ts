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
  /**
   * The state in shared memory, so that another thread may show and move the same clock (`shared`: the
   * demo's client runs in a worker thread): [change count, high and low 32 bits of the value, running].
   * The value is the time in ms for a clock that stands still; for a running one, its offset from the
   * system time (now = system time + offset). A change makes the count odd while it writes; a reader
   * reads again until it saw no change under way (a sequence lock: one thread moves the clock at a time).
   */
  private readonly cell: Int32Array;

  constructor(at: Date, running: boolean, buffer?: SharedArrayBuffer) {
    super();
    this.cell = new Int32Array(buffer ?? new SharedArrayBuffer(16));
    if (!buffer) this.set(at, running);
  }

  /** This clock's memory, for `SetClock.shared` in another thread. */
  get buffer(): SharedArrayBuffer {
    return this.cell.buffer as SharedArrayBuffer;
  }

  /** The same clock as the one whose `buffer` this is (in another thread). */
  static shared(buffer: SharedArrayBuffer): SetClock {
    return new SetClock(new Date(0), false, buffer);
  }

  private read(): [value: number, running: boolean] {
    const c = this.cell;
    for (;;) {
      const seq = Atomics.load(c, 0);
      if (seq & 1) continue;
      const value = Atomics.load(c, 1) * 2 ** 32 + (Atomics.load(c, 2) >>> 0);
      const running = Atomics.load(c, 3) === 1;
      if (Atomics.load(c, 0) === seq) return [value, running];
    }
  }

  get running(): boolean {
    return this.read()[1];
  }

  now(): Date {
    const [value, running] = this.read();
    return new Date(running ? Date.now() + value : value);
  }

  /** Sets the time (and whether it runs on from there; unchanged when omitted). */
  set(at: Date | string, running: boolean = this.running): void {
    const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
    if (!Number.isFinite(t)) throw new Error(`SetClock.set: not a time: ${String(at)}`);
    const value = running ? t - Date.now() : t;
    const high = Math.floor(value / 2 ** 32);
    const c = this.cell;
    Atomics.add(c, 0, 1);
    Atomics.store(c, 1, high);
    Atomics.store(c, 2, value - high * 2 ** 32);
    Atomics.store(c, 3, running ? 1 : 0);
    Atomics.add(c, 0, 1);
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
