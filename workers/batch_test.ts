import assert from "node:assert/strict";
import { dirname } from "node:path";
import { randn, tensor } from "@nonlin/core";
import { applyNpy } from "./apply.ts";
import { applyDataset, type BatchReport, formatSummary, shardOf, verifyDataset } from "./batch.ts";
import { encodeNpy } from "./npy.ts";
import { WorkerPool } from "./pool.ts";

const CLI = new URL("./cli.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every file under `root`, relative, sorted. */
function tree(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(rel ? `${root}/${rel}` : root)) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...tree(root, path));
    else out.push(path);
  }
  return out.sort();
}

async function write(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeFile(path, bytes);
}

/** The first name `stem-k.npy` under `folder` that falls in `shard` of `count`. */
function nameIn(folder: string, stem: string, shard: number, count: number): string {
  for (let k = 0;; k++) {
    const rel = `${folder}/${stem}-${k}.npy`;
    if (shardOf(rel, count) === shard) return rel;
  }
}

/**
 * 30 inputs of mixed shapes and dtypes in nested folders, one of them large for its shard (so
 * that a kill lands midway through it), and one corrupt file.
 */
async function makeDataset(root: string, big: string, corrupt: string): Promise<string[]> {
  const rels: string[] = [];
  for (let k = 0; k < 28; k++) {
    const shape = [[40 + k], [7, 3 + k], [2, 5, 4 + (k % 5)]][k % 3];
    const dtype = k % 2 === 0 ? "float32" : "float64";
    const rel = `part-${k % 4}/${k % 5 === 0 ? "deep/" : ""}x${String(k).padStart(2, "0")}.npy`;
    await write(`${root}/${rel}`, encodeNpy(randn(shape, { seed: k, dtype, std: 3 })));
    rels.push(rel);
  }
  await write(`${root}/${big}`, encodeNpy(randn([512, 1024], { seed: 99, dtype: "float64" })));
  await write(`${root}/${corrupt}`, new TextEncoder().encode("not a .npy file at all"));
  return [...rels, big].sort();
}

function spawn(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function finish(child: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  // A bound on a hang, not on speed.
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const { code, stderr } = await child.output();
  clearTimeout(timer);
  return { code, stderr: new TextDecoder().decode(stderr) };
}

async function readReport(path: string): Promise<BatchReport> {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test("shard processes run concurrently, killed, duplicated and rerun, give every output once, as one process does", async () => {
  await withDir(async (dir) => {
    const input = `${dir}/in`, output = `${dir}/out`, N = 3;
    const big = nameIn("part-1", "big", 1, N), corrupt = nameIn("part-2", "corrupt", 0, N);
    const good = await makeDataset(input, big, corrupt);
    const common = ["softmax", input, output, "--workers", "1", "--quiet"];
    const run = (shard: number, ...more: string[]) =>
      spawn([...common, "--shard", `${shard}/${N}`, "--report", `${dir}/r-{index}.json`, ...more]);

    // Shard 0 twice at once (the same shard given by mistake), shard 2, and shard 1 killed
    // with SIGKILL while it writes its large file, in small chunks so that this takes a while.
    const twins = [run(0), run(0)];
    const third = run(2);
    const doomed = run(1, "--chunk-size", "16K", "--concurrency", "1");
    const bigTemp = `.${big.split("/").pop()}.`;
    const folder = `${output}/${dirname(big)}`;
    const deadline = Date.now() + 60_000; // a bound on a hang, not on speed
    let killed = false;
    while (Date.now() < deadline) {
      const names = await Array.fromAsync(Deno.readDir(folder)).catch(() => []);
      if (names.some((e) => e.name.startsWith(bigTemp) && e.name.endsWith(".tmp"))) {
        doomed.kill("SIGKILL");
        killed = true;
        break;
      }
      const done = await Promise.race([doomed.status, new Promise((r) => setTimeout(r, 2))]);
      if (done !== undefined) break; // finished before the kill: the rerun then skips it all
    }
    const killedStatus = await finish(doomed);
    if (killed) assert.equal(killedStatus.code, 137, killedStatus.stderr);
    const results = await Promise.all([...twins, third].map(finish));
    const rerun = await finish(run(1));

    // The corrupt file's shard fails (exit 1) and reports it; every other run succeeds.
    for (const [k, r] of results.entries()) assert.equal(r.code, k < 2 ? 1 : 0, r.stderr);
    assert.match(results[0].stderr, /corrupt-\d+\.npy: .*magic string/);
    assert.equal(rerun.code, 0, rerun.stderr);
    const r0 = await readReport(`${dir}/r-0.json`);
    const bad = r0.files.find((f) => f.input === corrupt)!;
    assert.equal(bad.status, "failed");
    assert.equal(bad.errorName, "SyntaxError");

    // Every output exists exactly once, bitwise as a single process writes it; nothing else.
    const pool = new WorkerPool({ size: 1 });
    try {
      for (const rel of good) {
        await Deno.mkdir(dirname(`${dir}/single/${rel}`), { recursive: true });
        await applyNpy("softmax", `${input}/${rel}`, `${dir}/single/${rel}`, { pool });
        assert.deepEqual(
          await Deno.readFile(`${output}/${rel}`),
          await Deno.readFile(`${dir}/single/${rel}`),
          rel,
        );
      }
    } finally {
      await pool.close();
    }
    const sidecar = (rel: string) => rel.replace(/([^/]+)$/, ".$1.nonlin.json");
    assert.deepEqual(tree(output), [...good, ...good.map(sidecar)].sort());

    // A second full run, one process, skips everything and fails the corrupt file again.
    const again = await finish(spawn([...common, "--report", `${dir}/all.json`]));
    assert.equal(again.code, 1, again.stderr);
    const all = await readReport(`${dir}/all.json`);
    assert.deepEqual(
      [all.totals.done, all.totals.skipped, all.totals.failed],
      [0, good.length, 1],
    );
    // And verification finds every output complete and true to its record.
    const verify = await verifyDataset("softmax", input, output, { concurrency: 4 });
    assert.equal(verify.totals.verified, good.length);
    assert.deepEqual(verify.files.filter((f) => f.status === "failed").map((f) => f.input), [
      corrupt,
    ]);
  });
});

/** A small dataset of `n` files under `dir/in`, in two folders. */
async function small(dir: string, n = 4): Promise<void> {
  for (let k = 0; k < n; k++) {
    await write(`${dir}/in/${k % 2 ? "b/" : ""}f${k}.npy`, encodeNpy(randn([4, 6], { seed: k })));
  }
}

const statuses = (r: BatchReport) => r.files.map((f) => `${f.input}:${f.status}`);

Deno.test("applyDataset() resumes: redoes only what changed, what --force asks, or another op's", async () => {
  await withDir(async (dir) => {
    await small(dir);
    const run = (o = {}) => applyDataset("gelu", `${dir}/in`, `${dir}/out`, { workers: 1, ...o });
    assert.equal((await run()).totals.done, 4);
    assert.equal((await run()).totals.skipped, 4);
    // Explicit defaults are the same recipe.
    assert.equal((await run({ options: { approximate: "none" } })).totals.skipped, 4);
    const later = new Date(Date.now() + 5000);
    await Deno.utime(`${dir}/in/b/f1.npy`, later, later);
    await Deno.remove(`${dir}/out/f2.npy`);
    const resumed = await run();
    assert.deepEqual(statuses(resumed), [
      "b/f1.npy:done",
      "b/f3.npy:skipped",
      "f0.npy:skipped",
      "f2.npy:done",
    ]);
    assert.equal((await run({ force: true })).totals.done, 4);
    const tanh = await run({ options: { approximate: "tanh" }, dryRun: true });
    assert.deepEqual(
      tanh.files.map((f) => f.reason),
      Array(4).fill(
        'made with options {"approximate":"none"}',
      ),
    );
    assert.equal(tanh.totals.pending, 4);
    assert.equal((await run()).totals.skipped, 4, "a dry run writes nothing");
  });
});

Deno.test("verifyDataset() catches a missing, stale, reshaped or altered output", async () => {
  await withDir(async (dir) => {
    await small(dir);
    await applyDataset("glu", `${dir}/in`, `${dir}/out`, { workers: 1, options: { dim: 0 } });
    const verify = () => verifyDataset("glu", `${dir}/in`, `${dir}/out`, { options: { dim: 0 } });
    const ok = await verify();
    assert.equal(ok.totals.verified, 4);
    assert.deepEqual(ok.files[0].shape, [2, 6], "GLU halves dim 0");
    // Altered in place, its size and time kept: only the checksum can tell.
    const path = `${dir}/out/f0.npy`;
    const { mtime } = await Deno.stat(path);
    const bytes = await Deno.readFile(path);
    bytes[bytes.length - 1] ^= 1;
    await Deno.writeFile(path, bytes);
    await Deno.utime(path, mtime!, mtime!);
    await Deno.remove(`${dir}/out/b/f1.npy`);
    await Deno.writeFile(`${dir}/in/f2.npy`, encodeNpy(randn([4, 6], { seed: 9 })));
    const bad = await verify();
    assert.deepEqual(bad.files.map((f) => f.reason ?? f.status), [
      "the output is missing",
      "verified",
      "the output's SHA-256 differs from its record's",
      "the input changed since",
    ]);
  });
});

async function capture(args: string[], env?: Record<string, string>, isTerminal = false) {
  let stdout = "", stderr = "";
  const { main } = await import("./cli.ts");
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTerminal,
    ...(env ? { env } : {}),
  });
  return { code, stdout, stderr };
}

Deno.test("apply over a folder prints a summary, a dry-run list and a report per shard", async () => {
  await withDir(async (dir) => {
    await small(dir, 6);
    await write(`${dir}/in/bad.npy`, encodeNpy(tensor([1])).subarray(0, 20));
    const io = ["relu", `${dir}/in`, `${dir}/out`, "--workers", "1"];
    const dry = await capture([...io, "--dry-run", "--shard", "auto"], {
      JOB_COMPLETION_INDEX: "1",
      NONLIN_SHARDS: "2",
    });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^compute \S+\.npy \(\d+ B\): no completion record$/m);
    assert.match(dry.stderr, /^dry-run shard 1\/2: \d+ files: \d+ to compute, 0 complete/);
    assert.ok(!(await Array.fromAsync(Deno.readDir(dir))).some((e) => e.name === "out"));
    for (const index of [0, 1]) {
      const env = {
        SLURM_ARRAY_TASK_ID: String(index),
        SLURM_ARRAY_TASK_MAX: "1",
        SLURM_ARRAY_TASK_COUNT: "2",
      };
      const r = await capture(
        [...io, "--shard", "auto", "--report", `${dir}/rep/{index}-of-{count}.json`],
        env,
        true,
      );
      const report = await readReport(`${dir}/rep/${index}-of-2.json`);
      const hasBad = report.files.some((f) => f.input === "bad.npy");
      assert.equal(r.code, hasBad ? 1 : 0, r.stderr);
      assert.match(r.stderr, new RegExp(`relu shard ${index}/2: ${report.files.length} files: `));
      assert.match(r.stderr, /\[#+\] 100% \d+\/\d+ files /);
      if (hasBad) assert.match(r.stderr, /failed:\n {2}bad\.npy: Cannot read \.npy/);
      assert.equal(report.shard.index, index);
      assert.equal(
        formatSummary(report).split("\n")[0],
        r.stderr.split("\r\x1b[K").at(-1)!.split("\n")[0],
      );
    }
    const again = await capture([...io, "--quiet"]);
    assert.equal(again.code, 1);
    assert.equal(
      again.stderr,
      "failed: bad.npy: Cannot read .npy: the file ends inside its header\n",
    );
  });
});

Deno.test("apply refuses dataset arguments that cannot work, with exit code 2", async () => {
  await withDir(async (dir) => {
    await small(dir, 2);
    await Deno.writeTextFile(`${dir}/file`, "");
    const io = ["relu", `${dir}/in`];
    const cases: [string[], RegExp][] = [
      [[...io, `${dir}/file`], /it is a file, expected a folder/],
      [[...io, `${dir}/in`], /it holds the inputs/],
      [[...io, `${dir}/o`, "--shard", "2/2"], /shard index 2: expected an integer in \[0, 1\]/],
      [[...io, `${dir}/o`, "--shard", "auto"], /neither JOB_COMPLETION_INDEX/],
      [[...io, `${dir}/o`, "--shards", "4"], /--shards without --shard auto/],
      [[...io, `${dir}/o`, "--verify", "--force"], /--verify with --force/],
      [[...io, `${dir}/o`, "--force=yes"], /--force with a value "yes"/],
      [[...io, `${dir}/o`, "extra.npy"], /quote a glob/],
      [["relu", `${dir}/in/*.npz`, `${dir}/o`], /Cannot find any \.npy file/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await capture(args, {});
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message, args.join(" "));
    }
    assert.ok(!tree(dir).some((p) => p.startsWith("o/")));
  });
});

Deno.test("apply on one file records it and skips it the second time", async () => {
  await withDir(async (dir) => {
    await write(`${dir}/in.npy`, encodeNpy(randn([10], { seed: 1 })));
    const io = ["tanh", `${dir}/in.npy`, `${dir}/out.npy`];
    assert.deepEqual(await capture(io), { code: 0, stdout: "", stderr: "" });
    const again = await capture(io);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /out\.npy is already complete \(complete\); --force recomputes it/);
    assert.equal((await capture([...io, "--quiet"])).stderr, "");
    assert.equal((await capture([...io, "--force"])).stderr, "");
    const verify = await capture([...io, "--verify"]);
    assert.equal(verify.code, 0);
    assert.match(verify.stderr, /^verify: 1 files: 1 verified, 0 failed/);
  });
});

Deno.test("SIGTERM stops a dataset run, leaving complete outputs, a report and no temporary files", async () => {
  await withDir(async (dir) => {
    await small(dir, 3);
    await write(`${dir}/in/big.npy`, encodeNpy(randn([1 << 20], { seed: 5 })));
    const child = spawn([
      "gelu",
      `${dir}/in`,
      `${dir}/out`,
      "--chunk-size",
      "16K",
      "--concurrency",
      "1",
      "--report",
      `${dir}/report.json`,
    ]);
    const deadline = Date.now() + 60_000; // a bound on a hang, not on speed
    while (Date.now() < deadline) {
      const names = await Array.fromAsync(Deno.readDir(`${dir}/out`)).catch(() => []);
      if (names.some((e) => e.name.startsWith(".big.npy.") && e.name.endsWith(".tmp"))) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGTERM");
    const { code, stderr } = await finish(child);
    assert.equal(code, 143, stderr);
    assert.match(stderr, /interrupted; \d+ files? not written/);
    const report = await readReport(`${dir}/report.json`);
    assert.ok(report.interrupted);
    assert.ok(report.files.some((f) => f.input === "big.npy" && f.status === "interrupted"));
    assert.ok(!tree(`${dir}/out`).some((p) => /\.(tmp|lock)$/.test(p)), tree(`${dir}/out`).join());
  });
});
