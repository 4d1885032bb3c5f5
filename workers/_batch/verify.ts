/**
 * Verification of a finished dataset: every output of the shard has a matching completion
 * record, the shape and dtype its input gives, and the checksum its record holds. Private to the
 * package; `verifyDataset` in `batch.ts` is its public face.
 *
 * @module
 */

import type { ActivationInfo, AnyOptions } from "@nonlin/core";
import { planFor } from "../_plan.ts";
import type { NpyHeader } from "../npy.ts";
import { sha256Of } from "./atomic.ts";
import { readRecord, type Recipe, whyIncomplete } from "./record.ts";
import type { FileReport } from "./report.ts";
import { readHeader } from "./stream.ts";

async function headerOf(path: string): Promise<NpyHeader> {
  using file = await Deno.open(path, { read: true });
  return await readHeader(file);
}

const show = (shape: readonly number[]) => `(${shape.join(", ")})`;

/** Why the output at `out` does not verify, or undefined when it does (`report` filled in). */
async function problemWith(
  entry: ActivationInfo,
  recipe: Recipe,
  options: AnyOptions,
  input: string,
  out: string,
  report: FileReport,
): Promise<string | undefined> {
  const [inputInfo, outputInfo, record] = await Promise.all([
    Deno.stat(input),
    Deno.stat(out).catch(() => undefined),
    readRecord(out),
  ]);
  const why = whyIncomplete(record, recipe, inputInfo, outputInfo);
  if (why !== undefined || record === undefined) return why;
  const [x, y] = await Promise.all([headerOf(input), headerOf(out)]);
  const expected = planFor(entry, x.shape, x.dtype, options, "forward")?.shape ?? x.shape;
  if (y.dtype !== x.dtype) return `the output is ${y.dtype}, its input ${x.dtype}`;
  if (show(y.shape) !== show(expected)) {
    return `the output's shape is ${show(y.shape)}, expected ${show(expected)} from its input`;
  }
  const sha256 = await sha256Of(out);
  if (sha256 !== record.output.sha256) return "the output's SHA-256 differs from its record's";
  Object.assign(report, { shape: y.shape, dtype: y.dtype, outputBytes: outputInfo!.size, sha256 });
  return undefined;
}

/** Verifies one output and records the verdict in `report`. */
export async function verifyFile(
  entry: ActivationInfo,
  recipe: Recipe,
  options: AnyOptions,
  input: string,
  out: string,
  report: FileReport,
): Promise<void> {
  try {
    const problem = await problemWith(entry, recipe, options, input, out, report);
    if (problem === undefined) report.status = "verified";
    else Object.assign(report, { status: "failed", reason: problem, error: problem });
  } catch (error) {
    report.status = "failed";
    report.error = error instanceof Error ? error.message : String(error);
    report.errorName = error instanceof Error ? error.name : typeof error;
  }
}
