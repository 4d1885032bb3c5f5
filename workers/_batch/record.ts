/**
 * Completion records: a small JSON sidecar beside each output, `.out.npy.nonlin.json`, written
 * after the output itself. It says which op, options, nonlin version and input (size and
 * modification time) the output was made from, and the output's size, time, shape and SHA-256.
 * An output whose record matches the run is complete and skipped. Private to the package.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import type { AnyOptions, DType } from "@nonlin/core";
import meta from "../deno.json" with { type: "json" };
import { tempPathFor } from "./temp.ts";

/** The version of nonlin that writes records; a different one recomputes. */
export const VERSION: string = meta.version;

/** What an output must have been made from to count as complete. */
export interface Recipe {
  readonly op: string;
  /** The op's options with every default filled in, keys sorted. */
  readonly options: AnyOptions;
  readonly version: string;
}

/** The sidecar's content. */
export interface CompletionRecord extends Recipe {
  readonly format: 1;
  readonly input: { readonly size: number; readonly mtimeMs: number };
  readonly output: {
    readonly size: number;
    readonly mtimeMs: number;
    readonly shape: readonly number[];
    readonly dtype: DType;
    readonly sha256: string;
  };
  /** When and where it was made: for people, never compared. */
  readonly finished: string;
  readonly host: string;
}

/** The sidecar of `outPath`: `.out.npy.nonlin.json` beside it. */
export function recordPath(outPath: string): string {
  return join(dirname(outPath), `.${basename(outPath)}.nonlin.json`);
}

/** The record of `outPath`, or undefined when there is none or it is unreadable. */
export async function readRecord(outPath: string): Promise<CompletionRecord | undefined> {
  try {
    const record = JSON.parse(await Deno.readTextFile(recordPath(outPath)));
    return record?.format === 1 ? record : undefined;
  } catch {
    return undefined; // missing, or cut short by a crash: the output is simply redone
  }
}

/**
 * Writes the record atomically (a temporary file renamed over it), after the output's rename:
 * a crash between the two leaves an output without a matching record, which the next run redoes.
 */
export async function writeRecord(outPath: string, record: CompletionRecord): Promise<void> {
  const path = recordPath(outPath);
  const tmp = tempPathFor(path);
  try {
    await Deno.writeTextFile(tmp, JSON.stringify(record, null, 2) + "\n", { createNew: true });
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Why the output described by `record` is not complete for `recipe` and this input, in words; or
 * undefined when it is. The output must still have the size and time the record gave it, so an
 * output replaced or touched since is redone.
 */
export function whyIncomplete(
  record: CompletionRecord | undefined,
  recipe: Recipe,
  input: Deno.FileInfo,
  output: Deno.FileInfo | undefined,
): string | undefined {
  if (record === undefined) return "no completion record";
  if (record.op !== recipe.op) return `made by ${record.op}`;
  if (!same(record.options, recipe.options)) {
    return `made with options ${JSON.stringify(record.options)}`;
  }
  if (record.version !== recipe.version) return `made by nonlin ${record.version}`;
  if (record.input.size !== input.size || record.input.mtimeMs !== input.mtime?.getTime()) {
    return "the input changed since";
  }
  if (output === undefined) return "the output is missing";
  if (record.output.size !== output.size || record.output.mtimeMs !== output.mtime?.getTime()) {
    return "the output changed since";
  }
  return undefined;
}
