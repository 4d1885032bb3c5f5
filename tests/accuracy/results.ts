/**
 * The verification's results: the bounds they are held to, how they are stored in
 * `bench/results/verify.json`, and the README table made from them.
 *
 * @module
 */

import type { BlockResult, Tally } from "./check.ts";

/** The bounds, in ULPs of the result's dtype. */
export const BOUNDS = {
  /** float32 reference path: correctly rounded (no result other than the nearest float32). */
  float32Reference: 0.5,
  float32Kernel: 2,
  float64Reference: 1,
  float64Kernel: 4,
} as const;

/** One direction of one case, as stored. */
export interface Entry {
  id: string;
  name: string;
  options: Record<string, unknown>;
  direction: "forward" | "backward";
  /** The commit, and the item's fingerprint: the bits it computes on a sample, and the harness. */
  commit: string;
  digest: string;
  finished: string;
  float32: Part;
  float64: Part;
}

/** One dtype's results. */
export interface Part extends BlockResult {
  inputs: number;
  seconds: number;
}

/** Which bounds an entry meets. */
export interface Verdict {
  float32Reference: boolean;
  float32Kernel: boolean;
  float64Reference: boolean;
  float64Kernel: boolean;
  /** No NaN where a value exists, on either path and dtype. */
  noNaN: boolean;
  /** Every zero has the correctly rounded value's sign, and both paths agree on it. */
  zeros: boolean;
}

/** Holds an entry to the bounds. */
export function verdict(e: Pick<Entry, "float32" | "float64">): Verdict {
  const t = (p: Part, path: "reference" | "kernel"): Tally => p[path];
  return {
    float32Reference: t(e.float32, "reference").over05 === 0,
    float32Kernel: t(e.float32, "kernel").worst <= BOUNDS.float32Kernel,
    float64Reference: t(e.float64, "reference").worst <= BOUNDS.float64Reference,
    float64Kernel: t(e.float64, "kernel").worst <= BOUNDS.float64Kernel,
    noNaN: [e.float32, e.float64].every((p) => p.reference.nan === 0 && p.kernel.nan === 0),
    zeros: [e.float32, e.float64].every((p) =>
      p.reference.zeroSign === 0 && p.kernel.zeroSign === 0 && p.pathZeroSign === 0
    ),
  };
}

/** JSON with NaN, ±∞ and -0 kept (as strings). */
export function encode(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v !== "number") return v;
      if (Number.isNaN(v)) return "NaN";
      if (v === Infinity) return "Infinity";
      if (v === -Infinity) return "-Infinity";
      if (Object.is(v, -0)) return "-0";
      return v;
    },
    1,
  ) + "\n";
}

/** The inverse of {@linkcode encode}. */
export function decode<T>(text: string): T {
  return JSON.parse(text, (_k, v) => {
    if (v === "NaN") return NaN;
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    if (v === "-0") return -0;
    return v;
  });
}

/** The stored file. */
export interface VerifyFile {
  command: string;
  machine: string;
  bounds: typeof BOUNDS;
  entries: Entry[];
}

function fmt(u: number): string {
  if (!Number.isFinite(u)) return "∞";
  return u === 0 ? "0" : u.toFixed(3);
}

function hours(seconds: number): string {
  return seconds < 5400 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * The README's accuracy section: per case and direction, the worst error of each path and dtype
 * and whether it meets its bound, from the finished entries (those in `stale`, computed on code
 * that now computes other bits, marked as earlier code), then what is still to run.
 */
export function readmeSection(
  file: VerifyFile,
  items: readonly string[],
  stale: ReadonlySet<string> = new Set(),
): string {
  const byKey = new Map(file.entries.map((e) => [`${e.id} ${e.direction}`, e]));
  const mark = (ok: boolean) => (ok ? "✓" : "✗");
  const rows = [
    "| activation | float32 reference (nearest) | float32 kernel (≤ 2) | float64 reference (≤ 1) | float64 kernel (≤ 4) | NaN, ±0 | run time | commit |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  let seconds = 0, earlier = 0;
  const pending: string[] = [];
  for (const key of items) {
    const e = byKey.get(key);
    if (e === undefined) {
      pending.push(key.replace(/ forward$/, "").replace(/ backward$/, " ′"));
      continue;
    }
    const v = verdict(e);
    const t = e.float32.seconds + e.float64.seconds;
    seconds += t;
    const r = e.float32.reference;
    const old = stale.has(key);
    if (old) earlier++;
    rows.push(
      `| ${e.id}${e.direction === "backward" ? " ′" : ""}` +
        ` | ${fmt(r.worst)} ${mark(v.float32Reference)}${
          r.over05 ? ` (${r.over05} not nearest)` : ""
        }` +
        ` | ${fmt(e.float32.kernel.worst)} ${mark(v.float32Kernel)}` +
        ` | ${fmt(e.float64.reference.worst)} ${mark(v.float64Reference)}` +
        ` | ${fmt(e.float64.kernel.worst)} ${mark(v.float64Kernel)}` +
        ` | ${mark(v.noNaN && v.zeros)} | ${hours(t)} | ${e.commit}${
          old ? " (earlier code)" : ""
        } |`,
    );
  }
  const done = items.length - pending.length;
  const lines = [
    `\`deno task verify\` on ${file.machine || "this machine"}: ${done} of ${items.length} items ` +
    `(activation variant × direction) run over all 2^32 float32 inputs and the float64 sweep, ` +
    `in ${hours(seconds)} of worker time` +
    (earlier > 0
      ? `; ${earlier} of them on earlier code (marked), whose figures stand only for that code ` +
        `and which the next run does again.`
      : "."),
    "",
    ...(done > 0 ? rows : []),
  ];
  if (pending.length > 0) {
    lines.push(
      "",
      `Not yet run exhaustively (the run resumes where it stopped; each passes the quick version ` +
        `in \`deno task test\`): ${pending.join(", ")}.`,
    );
  }
  return lines.join("\n");
}
