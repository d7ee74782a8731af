/**
 * Measuring helpers of the backfill benchmark: per-page timings, their start-of-table and
 * end-of-table summaries, resident memory of this process, and CPU time of another process.
 */
import fs from 'node:fs';

/** One page read: where it starts in the table, how many rows it returned and how long it took. */
export type PageTiming = {
  /** Rows before the page in id order: the OFFSET, or for keyset pages their rank in id order. */
  position: number;
  /** Keyset cursor (`id > afterId`), absent for OFFSET pages. */
  afterId?: number;
  rows: number;
  ms: number;
};

export type EdgeSummary = {
  /** Full pages in each sample. */
  pages: number;
  startMedianMs: number;
  endMedianMs: number;
  /** Position of the first row of the last sampled page, to show how deep "end" is. */
  endPosition: number;
};

/**
 * Median time of the first and of the last `samplePages` full pages in table order. Partial pages
 * (partition or table ends) are left out, since they read fewer rows.
 */
export function edgeSummary(timings: PageTiming[], pageSize: number, samplePages: number): EdgeSummary | undefined {
  const full = timings.filter((timing) => timing.rows === pageSize).sort((a, b) => a.position - b.position);
  if (full.length === 0) return undefined;
  const count = Math.min(samplePages, Math.floor(full.length / 2) || 1);
  const start = full.slice(0, count);
  const end = full.slice(-count);
  return {
    pages: count,
    startMedianMs: median(start.map((timing) => timing.ms)),
    endMedianMs: median(end.map((timing) => timing.ms)),
    endPosition: end[end.length - 1].position,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Least-squares line `ms = intercept + slope × position` through the given pages. */
export function fitLine(timings: PageTiming[]): { intercept: number; slope: number } {
  const n = timings.length;
  const meanX = timings.reduce((sum, timing) => sum + timing.position, 0) / n;
  const meanY = timings.reduce((sum, timing) => sum + timing.ms, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const timing of timings) {
    covariance += (timing.position - meanX) * (timing.ms - meanY);
    variance += (timing.position - meanX) ** 2;
  }
  const slope = variance === 0 ? 0 : covariance / variance;
  return { intercept: meanY - slope * meanX, slope };
}

/**
 * Samples this process's resident set size every `intervalMs` between `start` and `stop`.
 * The sampled peak covers the measured window only and can miss a spike shorter than the interval.
 * The kernel's high-water mark (VmHWM) covers the whole process life, start-up included.
 */
export function sampleResidentMemory(intervalMs = 100) {
  let baseline = 0;
  let peak = 0;
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  // One [seconds since start, RSS bytes] pair per second, to tell a plateau from steady growth.
  const timeline: [number, number][] = [];
  const sample = () => {
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    const seconds = (performance.now() - startedAt) / 1000;
    if (timeline.length === 0 || seconds - timeline[timeline.length - 1][0] >= 1) timeline.push([seconds, rss]);
  };
  return {
    start() {
      baseline = process.memoryUsage.rss();
      peak = baseline;
      startedAt = performance.now();
      timer = setInterval(sample, intervalMs);
    },
    stop(): { baselineBytes: number; peakBytes: number; highWaterMarkBytes: number; timeline: [number, number][] } {
      clearInterval(timer);
      sample();
      return { baselineBytes: baseline, peakBytes: peak, highWaterMarkBytes: highWaterMark(), timeline };
    },
  };
}

/** VmHWM of this process in bytes (Linux), or 0 where /proc is absent. */
function highWaterMark(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Ticks per second of the /proc/<pid>/stat times: Linux reports them in USER_HZ, which is 100 on x86-64. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU seconds used so far by process `pid` (its threads included), or NaN if unreadable. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Counted after the parenthesised command name, which may hold spaces: utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}
