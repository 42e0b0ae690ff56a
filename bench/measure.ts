// What every bench shares, so none of them can report a favourable run: each measurement runs
// NYX_BENCH_RUNS times (default 5) and is reported as its median with the spread (min–max); the
// machine's load average is printed beside the numbers; a target is judged on the median and
// prints "met" or "missed", never anything softer. See docs/benchmarks.md.
import { availableParallelism, loadavg } from 'node:os';

export const RUNS = Math.max(1, Number(process.env.NYX_BENCH_RUNS ?? 5));

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no measurements');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

/** Runs `measure` RUNS times (after `warmUps` unrecorded runs) and returns every result. */
export async function repeat<T>(measure: (run: number) => Promise<T> | T, runs = RUNS, warmUps = 0): Promise<T[]> {
  for (let i = 0; i < warmUps; i++) await measure(-1 - i);
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure(i));
  return results;
}

/** The p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** "12.3 (11.0–14.1)": the median, then the spread of the runs. */
export function formatSpread(spread: Spread, digits = 1, unit = ''): string {
  const f = (n: number) => n.toFixed(digits);
  return spread.runs === 1 ? `${f(spread.median)}${unit}` : `${f(spread.median)}${unit} (${f(spread.min)}–${f(spread.max)})`;
}

export type Target = { atMost: number } | { atLeast: number };

/** "met" or "missed", judged on the median. */
export function verdict(value: number, target: Target): 'met' | 'missed' {
  return 'atMost' in target ? (value <= target.atMost ? 'met' : 'missed') : value >= target.atLeast ? 'met' : 'missed';
}

export function describeTarget(target: Target, unit = ''): string {
  return 'atMost' in target ? `<= ${target.atMost}${unit}` : `>= ${target.atLeast}${unit}`;
}

/** "load 1.52 1.20 0.98 (2 cores)": 1, 5 and 15 minute averages. */
export function loadAverage(): string {
  return `load ${loadavg().map((n) => n.toFixed(2)).join(' ')} (${availableParallelism()} cores)`;
}

/** Printed first by every bench: what ran, when, on what, how many runs per measurement. */
export function printHeader(name: string, knobs: Record<string, string | number>): void {
  const settings = Object.entries({ NYX_BENCH_RUNS: RUNS, ...knobs }).map(([key, value]) => `${key}=${value}`).join(' ');
  console.log(`${name}: ${new Date().toISOString()}, node ${process.version}, ${loadAverage()}`);
  console.log(`settings: ${settings}`);
  console.log('each figure: median of the runs (min–max); a target is judged on the median\n');
}

/** A Markdown table with the load average at the time of each row in its last column. */
export class Table {
  private readonly rows: string[][] = [];
  private readonly header: string[];

  constructor(header: string[]) {
    this.header = header;
  }

  add(cells: (string | number)[]): void {
    const row = [...cells.map(String), loadavg()[0]!.toFixed(2)];
    this.rows.push(row);
    console.error(`  ${row.join(' | ')}`);
  }

  print(): void {
    const header = [...this.header, 'load (1 min)'];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => '---').join('|')}|`);
    for (const row of this.rows) console.log(`| ${row.join(' | ')} |`);
  }
}
