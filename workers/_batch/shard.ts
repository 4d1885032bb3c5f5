/**
 * Shards: which files of a dataset one of N runs processes. A file's shard is a stable hash of
 * its relative path, so it depends on nothing else: not on the order of a listing, not on which
 * other files exist. Private to the package; re-exported by `batch.ts`.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** One of `count` disjoint parts of a dataset, `index` counted from 0. */
export interface Shard {
  /** This part, in `[0, count)`. */
  index: number;
  /** How many parts the dataset is cut into. */
  count: number;
}

/**
 * The shard, out of `count`, of the file at `relativePath` (`/`-separated, relative to the
 * dataset's root): the first 6 bytes of the SHA-256 of the path's UTF-8 bytes, read big-endian,
 * modulo `count`. Adding or removing files never moves another file to a different shard.
 *
 * @example Usage
 * ```ts
 * import { shardOf } from "@nonlin/workers/batch";
 * import assert from "node:assert/strict";
 *
 * const index = shardOf("train/part-0001.npy", 4);
 * assert.ok(index >= 0 && index < 4);
 * assert.equal(shardOf("train/part-0001.npy", 1), 0);
 * ```
 */
export function shardOf(relativePath: string, count: number): number {
  if (typeof relativePath !== "string") {
    throw new TypeError(
      `Cannot find the shard of path ${String(relativePath)}: expected a string`,
    );
  }
  checkShardCount(count, "count");
  const digest = createHash("sha256").update(relativePath, "utf8").digest();
  return digest.readUIntBE(0, 6) % count;
}

function checkShardCount(count: unknown, name: string): number {
  if (typeof count !== "number") {
    throw new TypeError(`Cannot use ${name} ${String(count)}: expected an integer ≥ 1`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Cannot use ${name} ${count}: expected an integer ≥ 1`);
  }
  return count;
}

/** Checks a shard given from code: `index` an integer in `[0, count)`. */
export function checkShard(shard: unknown): Shard {
  if (shard === null || typeof shard !== "object") {
    throw new TypeError(`Cannot use shard ${String(shard)}: expected { index, count }`);
  }
  const { index, count } = shard as Shard;
  checkShardCount(count, "shard count");
  if (typeof index !== "number") {
    throw new TypeError(`Cannot use shard index ${String(index)}: expected an integer`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(
      `Cannot use shard index ${index}: expected an integer in [0, ${count - 1}]`,
    );
  }
  return { index, count };
}

/**
 * Parses `I/N` (0-based: `0/4` … `3/4`).
 *
 * @example Usage
 * ```ts
 * import { parseShard } from "@nonlin/workers/batch";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseShard("2/8"), { index: 2, count: 8 });
 * assert.throws(() => parseShard("8/8"), RangeError);
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(text));
  if (m === null) {
    throw new SyntaxError(
      `Cannot use shard ${JSON.stringify(text)}: expected I/N such as 0/4, or auto`,
    );
  }
  return checkShard({ index: Number(m[1]), count: Number(m[2]) });
}

/** The environment variable that gives the shard count to `--shard auto`. */
export const SHARDS_ENV = "NONLIN_SHARDS";

/**
 * The shard a scheduler gave this process, read from `env`. The index is a Kubernetes Indexed
 * Job's `JOB_COMPLETION_INDEX` or a Slurm job array's `SLURM_ARRAY_TASK_ID` (the array must count
 * from 0: `--array=0-15`). The count is `count` (`--shards N`), else `NONLIN_SHARDS`, else, for
 * Slurm, `SLURM_ARRAY_TASK_COUNT`. Resubmitting part of an array (`--array=3,7`) keeps the shards
 * right only with the count given: the array's own count is then 2, which is refused.
 *
 * @example Usage
 * ```ts
 * import { shardFromEnv } from "@nonlin/workers/batch";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: "3", NONLIN_SHARDS: "10" }), {
 *   index: 3,
 *   count: 10,
 * });
 * assert.deepEqual(
 *   shardFromEnv({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "8" }),
 *   { index: 5, count: 8 },
 * );
 * ```
 */
export function shardFromEnv(env: Record<string, string | undefined>, count?: number): Shard {
  const int = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === "") return undefined;
    if (!/^\d+$/.test(text.trim())) {
      throw new RangeError(
        `Cannot use --shard auto: ${name} is ${JSON.stringify(text)}, expected an integer ≥ 0`,
      );
    }
    return Number(text);
  };
  const given = count ?? int(SHARDS_ENV);
  const k8s = int("JOB_COMPLETION_INDEX"), slurm = int("SLURM_ARRAY_TASK_ID");
  if (k8s !== undefined) {
    if (given === undefined) {
      throw new RangeError(
        `Cannot use --shard auto in a Kubernetes Indexed Job without the count: ` +
          `pass --shards N or set ${SHARDS_ENV} (the Job's completions)`,
      );
    }
    return checkShard({ index: k8s, count: given });
  }
  if (slurm !== undefined) {
    const n = given ?? int("SLURM_ARRAY_TASK_COUNT");
    if (n === undefined) {
      throw new RangeError(
        `Cannot use --shard auto: SLURM_ARRAY_TASK_COUNT is not set; pass --shards N`,
      );
    }
    const max = int("SLURM_ARRAY_TASK_MAX") ?? slurm;
    if (max >= n) {
      throw new RangeError(
        `Cannot use --shard auto with array index ${max} and ${n} shards: ` +
          `number the array from 0 (--array=0-${
            n - 1
          }), or pass --shards N when resubmitting part of it`,
      );
    }
    return { index: slurm, count: n };
  }
  throw new RangeError(
    "Cannot use --shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor " +
      "SLURM_ARRAY_TASK_ID (a Slurm job array) is set; pass --shard I/N instead",
  );
}
