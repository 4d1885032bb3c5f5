/** Reading the benchmark results file, checking its shape on the way in. */

/** One benchmark's figure. */
export interface BenchResult {
  /** Benchmark name. */
  name: string;
  /** Group it belongs to (one chart per group). */
  group: string;
  /** Nanoseconds per element. */
  nsPerElement: number;
  /** Spread between runs in nanoseconds per element, as the bench measures it. */
  spread?: number;
  /** Median ratio of its time to a copy of the same buffer timed just before (older files lack it). */
  copyRatio?: number;
  /** float64 kernels on arena arrays: median ratio of their time to float32's, timed just before. */
  overFloat32?: number;
}

/** The whole results file, as the bench writes it. */
export interface BenchResults {
  /** Where it ran. */
  machine: string;
  /** When it ran. */
  date: string;
  /** The figures. */
  results: BenchResult[];
}

/** What the benchmarks page can show. */
export type LoadedResults =
  | { kind: "ok"; results: BenchResults }
  | { kind: "missing" }
  | { kind: "invalid"; reason: string };

/** Checks that `value` has the shape of {@linkcode BenchResults}; returns the reason if not. */
export function validateResults(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return "expected a JSON object";
  const v = value as Record<string, unknown>;
  if (typeof v.machine !== "string") return `"machine" should be a string`;
  if (typeof v.date !== "string") return `"date" should be a string`;
  if (!Array.isArray(v.results)) return `"results" should be an array`;
  for (const [i, r] of v.results.entries()) {
    if (r === null || typeof r !== "object") return `results[${i}] should be an object`;
    const { name, group, nsPerElement, spread, copyRatio, overFloat32 } = r as Record<
      string,
      unknown
    >;
    if (typeof name !== "string" || typeof group !== "string") {
      return `results[${i}] needs string "name" and "group"`;
    }
    if (typeof nsPerElement !== "number" || !(nsPerElement >= 0)) {
      return `results[${i}].nsPerElement should be a number ≥ 0`;
    }
    if (spread !== undefined && typeof spread !== "number") {
      return `results[${i}].spread should be a number when present`;
    }
    if (copyRatio !== undefined && (typeof copyRatio !== "number" || !(copyRatio >= 0))) {
      return `results[${i}].copyRatio should be a number ≥ 0 when present`;
    }
    if (overFloat32 !== undefined && (typeof overFloat32 !== "number" || !(overFloat32 >= 0))) {
      return `results[${i}].overFloat32 should be a number ≥ 0 when present`;
    }
  }
  return undefined;
}

/** Loads the results file; a missing file is normal (no run yet), a malformed one is reported. */
export async function loadResults(path: string): Promise<LoadedResults> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", reason: `not JSON (${(error as Error).message})` };
  }
  const reason = validateResults(value);
  return reason ? { kind: "invalid", reason } : { kind: "ok", results: value as BenchResults };
}

/** A date as people write it, in UTC: "28 November 2026, 21:20 UTC"; the text as is if unreadable. */
export function readableDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
  const time = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone: "UTC",
  }).format(date);
  return /T\d/.test(iso) ? `${day}, ${time} UTC` : day;
}

/** The summary's name for nonlin's own series. */
export const OURS = "nonlin (fastest, 1 thread)";

/** The series a result stands in for in the summary: ours (fastest float32 on one thread), or a peer. */
export function summarySeries(result: BenchResult): string | undefined {
  if (result.group === "copy") return undefined;
  // Float64, the pool and peers on several threads answer other questions (precision, cores);
  // the summary is like for like: float32 on one thread.
  if (/float64|pool|worker|\d+ threads/.test(result.name)) return undefined;
  return result.name.startsWith("nonlin") ? OURS : result.name;
}

/**
 * The summary's dots: per operation, each series' time as a multiple of a copy of the same
 * buffer (the memory-bandwidth floor), the fastest of ours and every peer.
 */
export function summaryDots(
  results: readonly BenchResult[],
): { row: string; series: string; value: number }[] {
  const copy = results.find((r) => r.group === "copy")?.nsPerElement;
  const best = new Map<string, { row: string; series: string; value: number }>();
  for (const r of results) {
    const series = summarySeries(r);
    const value = r.copyRatio ?? (copy ? r.nsPerElement / copy : undefined);
    if (series === undefined || value === undefined || !(value > 0)) continue;
    const key = `${r.group}\u0000${series}`;
    const seen = best.get(key);
    if (!seen || value < seen.value) best.set(key, { row: r.group, series, value });
  }
  return [...best.values()];
}
