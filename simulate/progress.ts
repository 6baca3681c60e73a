/** A plain-text progress bar for the simulated year, and the memory figures of a run. */
import { readdirSync, readFileSync } from 'node:fs';

/** Where the simulation stands. */
export interface ProgressTick {
  /** Plan-time date reached, YYYY-MM-DD. */
  readonly date: string;
  /** 0 … 1 of the simulated period. */
  readonly fraction: number;
  readonly notices: number;
}

/** `[#####.....]` for a fraction. */
export function bar(fraction: number, width = 30): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** A progress printer: redrawn in place per simulated week on a terminal, one line per month otherwise (logs stay short). */
export function progressPrinter(stream: { write(text: string): unknown; isTTY?: boolean }): { tick(t: ProgressTick): void; done(): void } {
  let lastMonth = '';
  let drawn = false;
  const line = (t: ProgressTick) => `${bar(t.fraction)} ${t.date} ${String(Math.round(t.fraction * 100)).padStart(3)}%  ${t.notices} notices`;
  return {
    tick(t) {
      if (stream.isTTY) {
        stream.write(`\r${line(t)}`);
        drawn = true;
      } else if (t.date.slice(0, 7) !== lastMonth || t.fraction >= 1) {
        lastMonth = t.date.slice(0, 7);
        stream.write(`${line(t)}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}

/** Peak memory of this process (sampled RSS and the kernel's high-water mark) and of the server it started. */
export interface MemoryFigures {
  readonly sampledPeakRss: number;
  readonly maxRss: number;
  /** Peak RSS of child processes (the Temporal test server), where the system tells (Linux). */
  readonly childrenPeakRss?: number;
}

/** Samples `process.memoryUsage().rss` until stopped. */
export class MemoryMeter {
  private peak = process.memoryUsage().rss;
  private children?: number;
  private readonly timer = setInterval(() => this.sample(), 100);

  constructor() {
    // Sampling must never keep the process alive.
    this.timer.unref();
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  /** Records the children's high-water mark now (call before they exit). */
  sampleChildren(): void {
    this.children = childrenPeakRss() ?? this.children;
  }

  stop(): MemoryFigures {
    clearInterval(this.timer);
    this.sample();
    // maxRSS is in kilobytes.
    return { sampledPeakRss: this.peak, maxRss: process.resourceUsage().maxRSS * 1024, childrenPeakRss: this.children };
  }
}

/** Sum of VmHWM over this process's children, from /proc; undefined where there is no /proc. */
function childrenPeakRss(): number | undefined {
  try {
    const pids = readdirSync('/proc/self/task').flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
    let total = 0;
    for (const pid of pids) {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) total += Number(hwm[1]) * 1024;
    }
    return pids.length > 0 ? total : undefined;
  } catch {
    return undefined;
  }
}
