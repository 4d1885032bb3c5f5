/**
 * `deno task verify`: exhaustive accuracy verification. Every element-wise activation in the
 * variants of `cases.ts`, forward and backward, on both kernel paths, over all 2^32 float32 bit
 * patterns and a float64 sweep of every binade and cut-off, on every core. Results go to
 * `bench/results/verify.json`; progress is kept in `bench/results/verify-progress.json`, so an
 * interrupted run resumes where it stopped. Each item carries a fingerprint of the sources its
 * results depend on (its activation's module graph in core, the harness) and of the bits it
 * computes on a sample: an item whose fingerprint changed is verified again, and a change to
 * one activation leaves the others' results standing.
 *
 * ```sh
 * deno task verify                      # everything (hours), resuming
 * deno task verify --only sigmoid,tanh  # cases whose id starts with one of these
 * deno task verify --quick              # 2^20 patterns per item, nothing written
 * deno task verify --minutes 60         # stop cleanly after an hour
 * deno task verify --workers 1          # leave a core free
 * deno task verify --report             # only rewrite the README's table from verify.json
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileOf, verificationCases } from "./cases.ts";
import { type BlockResult, emptyBlock, mergeBlock } from "./check.ts";
import {
  BLOCK_SIZE,
  BLOCKS,
  fingerprint,
  FLOAT64_PARTS,
  type Item,
  itemsOf,
  QUICK_STRIDE,
  type Unit,
} from "./plan.ts";
import {
  BOUNDS,
  decode,
  encode,
  type Entry,
  type Part,
  readmeSection,
  verdict,
  type VerifyFile,
} from "./results.ts";

const ROOT = new URL("../../", import.meta.url);
const RESULTS = new URL("bench/results/verify.json", ROOT);
const PROGRESS = new URL("bench/results/verify-progress.json", ROOT);
const README = new URL("README.md", ROOT);
/** How long a stopping run waits for the units in flight before it leaves them. */
const STOP_WAIT_MS = 30_000;
const BEGIN = "<!-- verify:begin (written by deno task verify) -->", END = "<!-- verify:end -->";

/**
 * Rewrites the README's accuracy section between its markers from the results file, marking
 * the entries whose fingerprint differs from what the code computes now (see `fingerprint`).
 */
async function writeReadme(file: VerifyFile, keys: readonly string[]): Promise<void> {
  const text = await Deno.readTextFile(README);
  const a = text.indexOf(BEGIN), b = text.indexOf(END);
  if (a < 0 || b < a) return;
  const cases = new Map((await verificationCases()).map((c) => [c.id, c]));
  const stale = new Set<string>();
  for (const e of file.entries) {
    const c = cases.get(e.id);
    if (
      c === undefined || (await fingerprint(c, e.direction, await codeDigest(c.name))) !== e.digest
    ) {
      stale.add(`${e.id} ${e.direction}`);
    }
  }
  const section = readmeSection(file, keys, stale);
  await writeAtomic(README, `${text.slice(0, a + BEGIN.length)}\n${section}\n${text.slice(b)}`);
  // Laid out as deno fmt would (deno task check holds the README to it).
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", new URL("README.md", ROOT).pathname],
    cwd: new URL(".", ROOT).pathname,
    stdout: "null",
    stderr: "null",
  }).output();
}

interface ItemProgress {
  /** The item's fingerprint when this progress was made (see `fingerprint`). */
  fingerprint: string;
  /** float32 blocks done, in order from 0. */
  blocks: number;
  float32: BlockResult;
  float32Seconds: number;
  /** float64 sweep parts done, in order from 0. */
  float64Parts: number;
  float64: BlockResult;
  float64Seconds: number;
}

interface Progress {
  items: Record<string, ItemProgress>;
}

/**
 * Source text without its comments and blank space, so that rewording a comment or reflowing
 * code keeps hours of results. Loose on purpose (a `//` inside a string after a space goes too):
 * the sampled output fingerprint still catches any change in what the code computes.
 */
export function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|\s)\/\/.*$/gm, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** The project's own files that `file` imports, directly or not, and the npm packages. */
async function moduleGraph(file: string): Promise<{ files: string[]; npm: string[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno info ${file} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
    npmPackages?: Record<string, unknown>;
  };
  const files = info.modules.map((m) => m.specifier).filter((s) => s.startsWith(ROOT.href));
  return {
    files: files.map((s) => s.slice(ROOT.href.length)),
    npm: Object.keys(info.npmPackages ?? {}).sort(),
  };
}

/** Modules of the harness that only report results: changing them redoes nothing. */
const REPORTING = new Set(["tests/accuracy/results.ts", "tests/accuracy/verify.ts"]);

const digests = new Map<string, Promise<string>>();

/**
 * A digest of the code whose results an activation's items are: the modules of core its file
 * imports, directly or not (a fix that changes a few rare inputs would not show in the sampled
 * fingerprint); the harness and test utilities its test file imports (a change to how results
 * are judged redoes them); the npm packages of both (the decimal oracle's version); and the
 * verification its test file writes last (from `export const VERIFICATION` on), so that editing
 * a unit test redoes nothing. Another activation's modules do not count, nor do comments and
 * layout (see `codeOnly`).
 */
export function codeDigest(name: string): Promise<string> {
  let digest = digests.get(name);
  if (digest === undefined) digests.set(name, digest = digestOf(name));
  return digest;
}

/**
 * What {@linkcode codeDigest} reads for activation `name`: the project's files and the npm
 * packages (see there).
 */
export async function digestSources(name: string): Promise<{ files: string[]; npm: string[] }> {
  const base = `core/${fileOf(name)}`;
  const library = await moduleGraph(`${base}.ts`);
  const tests = await moduleGraph(`${base}_test.ts`);
  const harness = tests.files.filter((f) =>
    (f.startsWith("tests/accuracy/") || f.includes("/_test_utils/")) && !REPORTING.has(f)
  );
  return {
    files: [...new Set([...library.files, ...harness])].sort(),
    npm: [...new Set([...library.npm, ...tests.npm])].sort(),
  };
}

async function digestOf(name: string): Promise<string> {
  const { files, npm } = await digestSources(name);
  const testFile = `core/${fileOf(name)}_test.ts`;
  const test = await Deno.readTextFile(new URL(testFile, ROOT));
  const at = test.indexOf("\nexport const VERIFICATION");
  const text = [
    ...(await Promise.all(
      files.map(async (f) => `${f}\n${await Deno.readTextFile(new URL(f, ROOT))}`),
    )),
    at < 0 ? "" : `${testFile}\n${test.slice(at)}`,
    npm.join(" "),
  ].map(codeOnly).join("\n");
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(h.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function gitCommit(): Promise<string> {
  try {
    const out = await new Deno.Command("git", { args: ["rev-parse", "--short", "HEAD"], cwd: ROOT })
      .output();
    const dirty = (await new Deno.Command("git", {
      args: ["status", "--porcelain", "core", "tests/accuracy"],
      cwd: ROOT,
    })
      .output()).stdout.length > 0;
    return new TextDecoder().decode(out.stdout).trim() + (dirty ? "+changes" : "");
  } catch {
    return "unknown";
  }
}

async function readJson<T>(url: URL): Promise<T | undefined> {
  try {
    return decode<T>(await Deno.readTextFile(url));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

async function writeAtomic(url: URL, text: string): Promise<void> {
  const tmp = new URL(`${url.pathname}.tmp`, url);
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, url);
}

/**
 * Merges the finished results in `inflight` into `into` in order from index `next`, up to the
 * first one still missing, whose index it returns.
 */
function foldInOrder(
  inflight: Map<number, BlockResult | null>,
  into: BlockResult,
  next: number,
): number {
  for (let r = inflight.get(next); r; r = inflight.get(next)) {
    mergeBlock(into, r);
    inflight.delete(next++);
  }
  return next;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--:--";
  const s = Math.round(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, "0")}:${
    String(s % 60).padStart(2, "0")
  }`;
}

function usage(message?: string): never {
  if (message) console.error(`verify: ${message}`);
  console.error(
    "usage: deno task verify [--only ID[,ID…]] [--quick] [--workers N] [--minutes M] [--fresh] [--report]",
  );
  Deno.exit(2);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: Deno.args,
      options: {
        only: { type: "string" },
        quick: { type: "boolean", default: false },
        workers: { type: "string" },
        minutes: { type: "string" },
        fresh: { type: "boolean", default: false },
        report: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (args.help) usage();
  const workers = args.workers === undefined ? navigator.hardwareConcurrency : Number(args.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    usage(`Cannot use --workers ${JSON.stringify(args.workers)}: expected an integer in [1, 64]`);
  }
  const minutes = args.minutes === undefined ? Infinity : Number(args.minutes);
  if (!(minutes > 0)) {
    usage(`Cannot use --minutes ${JSON.stringify(args.minutes)}: expected a number > 0`);
  }
  const quick = args.quick;
  if (args.report) {
    // Only regenerate the README's section from the stored results.
    const stored = (await readJson<VerifyFile>(RESULTS)) ??
      { command: "deno task verify", machine: "", bounds: BOUNDS, entries: [] };
    await writeReadme(stored, itemsOf(await verificationCases()).map((it) => it.key));
    return 0;
  }

  const cases = await verificationCases();
  const only = args.only?.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const chosen = only ? cases.filter((c) => only.some((o) => c.id.startsWith(o))) : cases;
  if (chosen.length === 0) {
    usage(`No case matches --only ${args.only}: ${cases.map((c) => c.id).join(", ")}`);
  }
  const items = itemsOf(chosen);

  const commit = await gitCommit();
  const byId = new Map(chosen.map((c) => [c.id, c]));
  const prints = new Map<string, string>();
  if (!quick) {
    console.error(`verify: fingerprinting ${items.length} items…`);
    for (const item of items) {
      const c = byId.get(item.caseId)!;
      prints.set(item.key, await fingerprint(c, item.direction, await codeDigest(c.name)));
    }
  }
  let progress: Progress = { items: {} };
  if (!quick && !args.fresh) progress = (await readJson<Progress>(PROGRESS)) ?? progress;
  const file: VerifyFile = (!quick && (await readJson<VerifyFile>(RESULTS))) || {
    command: "deno task verify",
    machine: "",
    bounds: BOUNDS,
    entries: [],
  };
  file.machine =
    `${navigator.hardwareConcurrency} cores, ${Deno.build.os}-${Deno.build.arch}, Deno ${Deno.version.deno}`;
  file.bounds = BOUNDS;
  // An entry stands while its item computes the very same bits (its fingerprint).
  const finished = new Set(
    file.entries.filter((e) => prints.get(`${e.id} ${e.direction}`) === e.digest)
      .map((e) => `${e.id} ${e.direction}`),
  );

  // The work: every unit of every unfinished item, float64 sweep first.
  const state = new Map<
    string,
    ItemProgress & {
      inflight: Map<number, BlockResult | null>;
      inflight64: Map<number, BlockResult | null>;
    }
  >();
  const queue: Unit[] = [];
  for (const item of items) {
    if (!quick && finished.has(item.key)) continue;
    const kept = progress.items[item.key];
    const saved = kept?.fingerprint === prints.get(item.key) ? kept : undefined;
    if (kept !== undefined && saved === undefined) {
      console.error(
        `verify: ${item.key} computes different bits since its saved progress; redoing it`,
      );
    }
    const s = {
      fingerprint: prints.get(item.key) ?? "",
      blocks: saved?.blocks ?? 0,
      float32: saved?.float32 ?? emptyBlock(),
      float32Seconds: saved?.float32Seconds ?? 0,
      float64Parts: saved?.float64Parts ?? 0,
      float64: saved?.float64 ?? emptyBlock(),
      float64Seconds: saved?.float64Seconds ?? 0,
      inflight: new Map<number, BlockResult | null>(),
      inflight64: new Map<number, BlockResult | null>(),
    };
    state.set(item.key, s);
    const base = { key: item.key, caseId: item.caseId, direction: item.direction, quick };
    for (let p = s.float64Parts; p < FLOAT64_PARTS; p++) {
      queue.push({ ...base, kind: "float64", part: p });
    }
    for (let b = s.blocks; b < BLOCKS; b++) queue.push({ ...base, kind: "float32", block: b });
  }
  const totalUnits = queue.length;
  if (totalUnits === 0) {
    console.error("verify: every chosen item is already verified for this code");
  }
  console.error(
    `verify: ${items.length} items (${chosen.length} cases × 2), ${totalUnits} units of work on ${workers} workers` +
      (quick
        ? `, quick: every ${QUICK_STRIDE}th float32 pattern`
        : `, ${BLOCK_SIZE} float32 patterns a block`),
  );

  const start = performance.now();
  const deadline = start + minutes * 60_000;
  let done = 0, failed = false, stopping = false;
  const interrupt = () => {
    stopping = true;
    console.error("\nverify: stopping after the units in progress (progress is saved)");
  };
  Deno.addSignalListener("SIGINT", interrupt);
  Deno.addSignalListener("SIGTERM", interrupt);

  const saveProgress = async () => {
    if (quick) return;
    for (const [key, s] of state) {
      progress.items[key] = {
        fingerprint: prints.get(key) ?? "",
        blocks: s.blocks,
        float32: s.float32,
        float32Seconds: s.float32Seconds,
        float64Parts: s.float64Parts,
        float64: s.float64,
        float64Seconds: s.float64Seconds,
      };
    }
    await writeAtomic(PROGRESS, encode(progress));
  };

  const finish = async (item: Item) => {
    const s = state.get(item.key)!;
    const c = chosen.find((x) => x.id === item.caseId)!;
    const inputs32 = quick ? BLOCKS * (BLOCK_SIZE / QUICK_STRIDE) : 2 ** 32;
    const f32: Part = { ...s.float32, inputs: inputs32, seconds: Math.round(s.float32Seconds) };
    const f64: Part = {
      ...s.float64,
      inputs: s.float64.reference.checked,
      seconds: Math.round(s.float64Seconds),
    };
    const entry: Entry = {
      id: c.id,
      name: c.name,
      options: c.options,
      direction: item.direction,
      commit,
      digest: prints.get(item.key) ?? "",
      finished: new Date().toISOString(),
      float32: f32,
      float64: f64,
    };
    const v = verdict(entry);
    const bad = Object.entries(v).filter(([, ok]) => !ok).map(([k]) => k);
    report(item.key, entry, bad);
    if (bad.length > 0) failed = true;
    if (quick) return;
    file.entries = file.entries.filter((e) =>
      !(e.id === entry.id && e.direction === entry.direction)
    );
    file.entries.push(entry);
    const order = new Map(itemsOf(cases).map((it, i) => [it.key, i]));
    file.entries.sort((a, b) =>
      order.get(`${a.id} ${a.direction}`)! - order.get(`${b.id} ${b.direction}`)!
    );
    await writeAtomic(RESULTS, encode(file));
    await writeReadme(file, itemsOf(cases).map((it) => it.key));
    state.delete(item.key);
    delete progress.items[item.key];
    await saveProgress();
  };

  const report = (key: string, e: Entry, bad: string[]) => {
    const w = (p: Part, path: "reference" | "kernel") => {
      const t = p[path];
      return `${t.worst.toFixed(3)}${t.over05 ? ` (${t.over05} not nearest)` : ""}${
        t.nan ? ` NaN×${t.nan}` : ""
      }`;
    };
    console.error(
      `\r\x1b[K${bad.length === 0 ? "✓" : "✗"} ${key}: f32 ref ${
        w(e.float32, "reference")
      }, kernel ${w(e.float32, "kernel")}; f64 ref ${w(e.float64, "reference")}, kernel ${
        w(e.float64, "kernel")
      }` +
        (bad.length ? `; misses ${bad.join(", ")}` : ""),
    );
  };

  const bar = (current: string) => {
    const elapsed = (performance.now() - start) / 1000;
    const frac = totalUnits === 0 ? 1 : done / totalUnits;
    const eta = frac > 0 ? elapsed / frac - elapsed : NaN;
    const width = 30, full = Math.round(frac * width);
    const text = `[${"#".repeat(full)}${".".repeat(width - full)}] ${(frac * 100).toFixed(1)}% ` +
      `${done}/${totalUnits} units | ${current} | ${clock(elapsed)} elapsed, ETA ${clock(eta)}`;
    Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[K${text.slice(0, 160)}`));
  };

  let lastSave = performance.now(), lastBar = 0;
  const pool = Array.from(
    { length: workers },
    () => new Worker(new URL("./verify_worker.ts", import.meta.url), { type: "module" }),
  );

  let watch: ReturnType<typeof setInterval> | undefined;
  await new Promise<void>((resolve) => {
    let active = 0;
    // A stopping run waits for the units in flight (each takes seconds), but not forever: one
    // that hangs would keep the saved progress from ever being written.
    let stopSince = Infinity;
    watch = setInterval(() => {
      const now = performance.now();
      if (stopSince === Infinity && (stopping || now > deadline)) stopSince = now;
      if (now - stopSince > STOP_WAIT_MS && active > 0) {
        console.error(
          `\nverify: ${active} unit(s) still running ${STOP_WAIT_MS / 1000} s after the stop; ` +
            "leaving them to the next run",
        );
        resolve();
      }
    }, 1000);
    const next = (w: Worker) => {
      if (stopping || performance.now() > deadline || queue.length === 0) {
        if (active === 0) resolve();
        return;
      }
      const unit = queue.shift()!;
      const s = state.get(unit.key)!;
      if (unit.kind === "float32") s.inflight.set(unit.block, null);
      else s.inflight64.set(unit.part, null);
      active++;
      w.postMessage(unit);
    };
    for (const w of pool) {
      w.onmessage = async (event) => {
        // A worker says when it has loaded; work sent earlier would be lost.
        if (event.data.ready === true) return next(w);
        active--;
        const { ok, unit, result, ms, error } = event.data as {
          ok: boolean;
          unit: Unit;
          result?: BlockResult;
          ms?: number;
          error?: string;
        };
        if (!ok) {
          console.error(`\nverify: ${unit.key} (${unit.kind}) failed: ${error}`);
          failed = true;
          stopping = true;
          next(w);
          return;
        }
        const s = state.get(unit.key)!;
        // Fold finished blocks and parts in order, so that progress is always a prefix.
        if (unit.kind === "float64") {
          s.inflight64.set(unit.part, result!);
          s.float64Seconds += ms! / 1000;
          s.float64Parts = foldInOrder(s.inflight64, s.float64, s.float64Parts);
        } else {
          s.inflight.set(unit.block, result!);
          s.float32Seconds += ms! / 1000;
          s.blocks = foldInOrder(s.inflight, s.float32, s.blocks);
        }
        done++;
        const now = performance.now();
        if (now - lastBar > 500) {
          bar(`${unit.key}`);
          lastBar = now;
        }
        if (s.blocks === BLOCKS && s.float64Parts === FLOAT64_PARTS) {
          await finish(items.find((it) => it.key === unit.key)!);
        } else if (now - lastSave > 30_000) {
          lastSave = now;
          await saveProgress();
        }
        next(w);
      };
      w.onerror = (e) => {
        console.error(`\nverify: a worker failed: ${e.message}`);
        e.preventDefault();
        failed = true;
        stopping = true;
      };
    }
  });
  clearInterval(watch);
  for (const w of pool) w.terminate();
  await saveProgress();
  Deno.removeSignalListener("SIGINT", interrupt);
  Deno.removeSignalListener("SIGTERM", interrupt);
  bar("done");
  const left = queue.length;
  console.error(
    `\nverify: ${done} units in ${clock((performance.now() - start) / 1000)}; ` +
      (left > 0 ? `${left} left for the next run (it resumes)` : "all chosen items finished"),
  );
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
