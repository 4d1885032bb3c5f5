/**
 * What a dataset run reports: one entry per file of its shard, totals, and the summary printed
 * at its end. Private to the package; the types are re-exported by `batch.ts`.
 *
 * @module
 */

import type { AnyOptions, DType } from "@nonlin/core";
import type { Shard } from "./shard.ts";

/**
 * What happened to one file: `done` (computed now), `skipped` (already complete), `failed`,
 * `pending` (what a dry run would compute), `interrupted` (cut off by a signal) or `verified`.
 */
export type FileStatus = "done" | "skipped" | "failed" | "pending" | "interrupted" | "verified";

/** One file of a run. */
export interface FileReport {
  /** The input's path relative to the dataset's root (`/`-separated); its name for one file. */
  input: string;
  /** The output's path. */
  output: string;
  /** What happened to it. */
  status: FileStatus;
  /** The input's size in bytes. */
  bytes: number;
  /** Why it was skipped, would be computed (dry run) or failed verification. */
  reason?: string;
  /** The error's message for a failed file. */
  error?: string;
  /** The error's name (`SyntaxError`, `RangeError`, `NotFound`, …) for a failed file. */
  errorName?: string;
  /** The output's shape, once it is complete. */
  shape?: number[];
  /** The output's dtype (the input's). */
  dtype?: DType;
  /** The output's size in bytes. */
  outputBytes?: number;
  /** The output's SHA-256 in hex, as its completion record holds it. */
  sha256?: string;
  /** Seconds spent on this file, when it was computed. */
  seconds?: number;
}

/** Counts and bytes of a run. */
export interface BatchTotals {
  /** Files of this shard. */
  files: number;
  /** Files computed by this run. */
  done: number;
  /** Files found complete, before or while this run waited for another. */
  skipped: number;
  /** Files that failed, or failed verification. */
  failed: number;
  /** Files a dry run would compute, or that an interruption cut off. */
  pending: number;
  /** Files that passed verification. */
  verified: number;
  /** Bytes of the inputs computed. */
  bytesRead: number;
  /** Bytes of the outputs written. */
  bytesWritten: number;
}

/** What a dataset run did: the `--report` file's content. */
export interface BatchReport {
  /** The nonlin version that ran. */
  nonlin: string;
  /** What the run did: compute, list (`--dry-run`) or check (`--verify`). */
  mode: "apply" | "dry-run" | "verify";
  /** `"file"` when the input was one file (the output then is one too), else `"dataset"`. */
  kind: "file" | "dataset";
  /** The op's registry name. */
  op: string;
  /** The op's options with their defaults filled in. */
  options: AnyOptions;
  /** INPUT as given: a file, a folder or a glob. */
  input: string;
  /** OUTPUT as given. */
  output: string;
  /** The part of the dataset this run covered. */
  shard: Shard;
  /** When the run started (ISO 8601). */
  started: string;
  /** How long the run took. */
  seconds: number;
  /** Whether a signal stopped the run before it finished. */
  interrupted: boolean;
  /** Counts and bytes. */
  totals: BatchTotals;
  /** Every file of the shard, in path order. */
  files: FileReport[];
}

/** Totals counted from `files`. */
export function totalsOf(files: readonly FileReport[]): BatchTotals {
  const totals: BatchTotals = {
    files: files.length,
    done: 0,
    skipped: 0,
    failed: 0,
    pending: 0,
    verified: 0,
    bytesRead: 0,
    bytesWritten: 0,
  };
  for (const f of files) {
    if (f.status === "interrupted") totals.pending++;
    else totals[f.status]++;
    if (f.status === "done") {
      totals.bytesRead += f.bytes;
      totals.bytesWritten += f.outputBytes ?? 0;
    }
  }
  return totals;
}

/** `1.5 KiB`, `12.0 MiB`: bytes in powers of 1024. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let i = -1;
  do {
    n /= 1024;
    i++;
  } while (n >= 1024 && i < units.length - 1);
  return `${n.toFixed(1)} ${units[i]}`;
}

/**
 * The lines printed at the end of a run: what was done, skipped and failed, bytes and time, and
 * each failure with its reason.
 *
 * @example Usage
 * ```ts
 * import { applyDataset, formatSummary } from "@nonlin/workers/batch";
 * import { encodeNpy } from "@nonlin/workers";
 * import { tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/in`);
 * await Deno.writeFile(`${dir}/in/a.npy`, encodeNpy(tensor([1, -1])));
 * await Deno.writeTextFile(`${dir}/in/b.npy`, "not npy");
 * const report = await applyDataset("relu", `${dir}/in`, `${dir}/out`, { workers: 1 });
 * assert.match(formatSummary(report), /^relu: 2 files: 1 done, 0 skipped, 1 failed;/);
 * assert.match(formatSummary(report), /\n  b\.npy: Cannot read \.npy/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function formatSummary(report: BatchReport): string {
  const t = report.totals, s = report.seconds;
  const shard = report.shard.count > 1 ? ` shard ${report.shard.index}/${report.shard.count}` : "";
  const counts = report.mode === "verify"
    ? `${t.verified} verified, ${t.failed} failed`
    : report.mode === "dry-run"
    ? `${t.pending} to compute, ${t.skipped} complete`
    : `${t.done} done, ${t.skipped} skipped, ${t.failed} failed` +
      (t.pending ? `, ${t.pending} not run` : "");
  const rate = s > 0 && t.done > 0
    ? ` (${formatBytes(Math.round(t.bytesRead / s))}/s, ${(t.done / s).toFixed(1)} files/s)`
    : "";
  const pendingBytes = report.files.filter((f) => f.status === "pending")
    .reduce((sum, f) => sum + f.bytes, 0);
  const volume = report.mode === "apply"
    ? `${formatBytes(t.bytesRead)} read, ${formatBytes(t.bytesWritten)} written in `
    : report.mode === "dry-run"
    ? `${formatBytes(pendingBytes)} to compute; listed in `
    : "in ";
  const head = `${report.mode === "apply" ? report.op : report.mode}${shard}: ${t.files} files`;
  const lines = [
    `${head}: ${counts}; ${volume}${s.toFixed(1)} s${rate}${
      report.interrupted ? "; interrupted" : ""
    }`,
  ];
  const failed = report.files.filter((f) => f.status === "failed");
  if (failed.length > 0) lines.push("failed:");
  for (const f of failed) lines.push(`  ${f.input}: ${f.error ?? f.reason}`);
  return lines.join("\n") + "\n";
}
