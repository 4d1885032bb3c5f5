import assert from "node:assert/strict";
import { checkShard, parseShard, shardFromEnv, shardOf } from "./shard.ts";

Deno.test("shardOf() is the documented hash, stable, and spreads paths evenly", () => {
  // SHA-256("data/a.npy") begins 0e6abb89e6c6, which is 15851575699142 = 7 · 2264510814163 + 1.
  assert.equal(shardOf("data/a.npy", 7), 1);
  assert.equal(shardOf("data/a.npy", 1000), 142);
  const counts = new Array(8).fill(0);
  for (let k = 0; k < 8000; k++) counts[shardOf(`data/part-${k}.npy`, 8)]++;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `${counts}`);
  assert.equal(shardOf("x.npy", 1), 0);
  assert.equal(shardOf("data/a.npy", 7), shardOf("data/a.npy", 7));
});

Deno.test("shardOf() never moves a file when others are added", () => {
  const before = Array.from({ length: 100 }, (_, k) => shardOf(`f${k}.npy`, 5));
  for (let k = 100; k < 200; k++) shardOf(`f${k}.npy`, 5);
  assert.deepEqual(Array.from({ length: 100 }, (_, k) => shardOf(`f${k}.npy`, 5)), before);
});

Deno.test("parseShard() reads I/N and names what is wrong", () => {
  assert.deepEqual(parseShard("0/1"), { index: 0, count: 1 });
  assert.deepEqual(parseShard(" 3 / 4 "), { index: 3, count: 4 });
  assert.throws(() => parseShard("4/4"), { name: "RangeError", message: /index 4: .*\[0, 3\]/ });
  assert.throws(() => parseShard("0/0"), { name: "RangeError", message: /count 0/ });
  assert.throws(() => parseShard("1-4"), { name: "SyntaxError", message: /"1-4": expected I\/N/ });
  assert.throws(() => parseShard("-1/4"), SyntaxError);
  assert.throws(() => checkShard({ index: 0.5, count: 2 }), RangeError);
  assert.throws(() => checkShard({ index: "0", count: 2 }), TypeError);
  assert.throws(() => checkShard(null), TypeError);
  assert.throws(() => shardOf("a", 0), RangeError);
});

Deno.test("shardFromEnv() reads Kubernetes and Slurm, and refuses arrays it would misread", () => {
  assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: "0" }, 3), { index: 0, count: 3 });
  assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: "2", NONLIN_SHARDS: "3" }), {
    index: 2,
    count: 3,
  });
  assert.throws(
    () => shardFromEnv({ JOB_COMPLETION_INDEX: "2" }),
    /--shards N or set NONLIN_SHARDS/,
  );
  assert.throws(() => shardFromEnv({ JOB_COMPLETION_INDEX: "3" }, 3), /index 3/);
  const slurm = (id: number, max: number, count: number, shards?: number) =>
    shardFromEnv({
      SLURM_ARRAY_TASK_ID: String(id),
      SLURM_ARRAY_TASK_MAX: String(max),
      SLURM_ARRAY_TASK_COUNT: String(count),
    }, shards);
  assert.deepEqual(slurm(0, 3, 4), { index: 0, count: 4 });
  assert.deepEqual(slurm(3, 3, 4), { index: 3, count: 4 });
  // --array=1-8: the last task's index is the count, so every task refuses.
  assert.throws(() => slurm(1, 8, 8), /number the array from 0 \(--array=0-7\)/);
  // Part of an array resubmitted (--array=3,7): right with the count given, refused without.
  assert.deepEqual(slurm(3, 7, 2, 16), { index: 3, count: 16 });
  assert.throws(() => slurm(3, 7, 2), /pass --shards N when resubmitting/);
  assert.deepEqual(
    shardFromEnv({ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2", NONLIN_SHARDS: "5" }),
    { index: 1, count: 5 },
  );
  assert.throws(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: "x" }), /"x", expected an integer/);
  assert.throws(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: "0" }), /SLURM_ARRAY_TASK_COUNT is not/);
  assert.throws(() => shardFromEnv({}), /neither JOB_COMPLETION_INDEX .* nor SLURM_ARRAY_TASK_ID/);
});
