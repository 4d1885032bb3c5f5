/**
 * Throughput of the `apply` command over a dataset of `.npy` shards: files/s and MiB/s for one
 * process and for two shard processes running at once, beside the same bytes as one file.
 *
 *     deno run -A bench/batch.ts [--files N] [--elements N] [--op gelu] [--repeats N]
 *
 * Every figure is a real command line, timed from spawn to exit (process start-up included, as a
 * scheduler sees it), into an empty output folder, the median of the repeats. "Skip" is the same
 * one-process run again once everything is complete: the cost of resuming. Prints a markdown
 * table.
 *
 * @module
 */

import { randn } from "@nonlin/core";
import { encodeNpy } from "@nonlin/workers";

const CLI = new URL("../workers/cli.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const files = Number(flag("files", "200"));
const elements = Number(flag("elements", "65536"));
const op = flag("op", "gelu");
const repeats = Number(flag("repeats", "3"));
const cores = navigator.hardwareConcurrency;

/** Runs the command once per argument list, all at once; seconds until the last exits. */
async function timed(runs: string[][]): Promise<number> {
  const start = performance.now();
  const children = runs.map((args) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", CONFIG, CLI, ...args, "--quiet"],
      stdout: "null",
      stderr: "piped",
    }).spawn()
  );
  const results = await Promise.all(children.map((c) => c.output()));
  const seconds = (performance.now() - start) / 1000;
  for (const r of results) {
    if (r.code !== 0) throw new Error(new TextDecoder().decode(r.stderr));
  }
  return seconds;
}

const dir = await Deno.makeTempDir({ prefix: "nonlin-bench-batch-" });
try {
  await Deno.mkdir(`${dir}/in`);
  for (let k = 0; k < files; k++) {
    const folder = `${dir}/in/part-${k % 10}`;
    await Deno.mkdir(folder, { recursive: true });
    const x = randn([elements / 256, 256], { seed: k });
    await Deno.writeFile(`${folder}/${String(k).padStart(5, "0")}.npy`, encodeNpy(x));
  }
  const one = randn([(files * elements) / 256, 256], { seed: 0 });
  await Deno.writeFile(`${dir}/one.npy`, encodeNpy(one));
  const bytes = files * elements * 4;
  const cases: [string, number, () => string[][]][] = [
    ["one file, 1 process", 1, () => [[op, `${dir}/one.npy`, `${dir}/one-out.npy`]]],
    ["dataset, 1 process", files, () => [[op, `${dir}/in`, `${dir}/out`]]],
    [
      "dataset, 2 shard processes",
      files,
      () =>
        [0, 1].map((i) => [op, `${dir}/in`, `${dir}/out`, "--shard", `${i}/2`, "--workers", "1"]),
    ],
  ];
  const rows: string[] = [];
  for (const [name, count, args] of cases) {
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      await Deno.remove(`${dir}/out`, { recursive: true }).catch(() => {});
      await Deno.remove(`${dir}/one-out.npy`).catch(() => {});
      times.push(await timed(args()));
    }
    const s = median(times);
    rows.push(
      `| ${name} | ${(count / s).toFixed(1)} | ${(bytes / s / 2 ** 20).toFixed(1)} | ${
        s.toFixed(2)
      } |`,
    );
  }
  const skips: number[] = [];
  for (let r = 0; r < repeats; r++) skips.push(await timed([[op, `${dir}/in`, `${dir}/out`]]));
  const skip = median(skips);
  rows.push(
    `| dataset, 1 process, all complete (skip) | ${(files / skip).toFixed(1)} | — | ${
      skip.toFixed(2)
    } |`,
  );
  console.log(
    `${op}, ${files} float32 files of ${elements} elements (${
      (bytes / 2 ** 20).toFixed(0)
    } MiB), ` +
      `${cores} cores, median of ${repeats}, wall time from spawn to exit:\n`,
  );
  console.log("| run | files/s | MiB/s | seconds |\n| --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
} finally {
  await Deno.remove(dir, { recursive: true });
}
