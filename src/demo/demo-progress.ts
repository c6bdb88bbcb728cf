// The demo's progress: on a terminal, a bar for each long step (cli-progress); elsewhere (tests, CI,
// a log file) plain lines, one at each quarter.
import cliProgress from 'cli-progress';

/** Counts one unit of work of the current step. */
export type Tick = () => void;

export interface DemoProgress {
  /** Starts counting `total` units of a step; the returned function counts one. */
  count(label: string, total: number): Tick;
  /** Ends the current bar (before the next step's line). */
  end(): void;
}

export function demoProgress(log: (line: string) => void, bar: boolean): DemoProgress {
  if (!bar) {
    return {
      count(label, total) {
        let done = 0;
        return () => {
          done++;
          if (done === total || done % Math.max(1, Math.ceil(total / 4)) === 0) log(`  ${label} ${done}/${total}`);
        };
      },
      end() {},
    };
  }
  let current: cliProgress.SingleBar | null = null;
  const end = () => {
    current?.stop();
    current = null;
  };
  return {
    count(label, total) {
      end();
      const b = new cliProgress.SingleBar({ format: `  ${label} [{bar}] {value}/{total}  {duration_formatted}`, hideCursor: true, clearOnComplete: false, barsize: 30 }, cliProgress.Presets.shades_classic);
      b.start(total, 0);
      current = b;
      return () => b.increment();
    },
    end,
  };
}
