/**
 * The `apply` command: applies an activation to a `.npy` file, or to a dataset of them, on every
 * core, streaming.
 *
 * ```sh
 * deno run -A jsr:@nonlin/workers/cli gelu in.npy out.npy --approximate tanh
 * deno run -A jsr:@nonlin/workers/cli softmax data/ probs/ --dim 1 --shard 2/8 --report r.json
 * deno run -A jsr:@nonlin/workers/cli relu "data/**\/*.npy" out/ --shard auto --shards 16
 * ```
 *
 * Exit codes: 0 done, 1 a file failed (or failed verification), 2 bad arguments (for one file: an
 * input that is not a little-endian C-order float32/float64 `.npy`; no output is written), 130,
 * 143 or 129 interrupted by SIGINT, SIGTERM or SIGHUP.
 *
 * @module
 */

import {
  type ActivationInfo,
  ACTIVATIONS,
  type AnyOptions,
  getActivation,
  type OptionSpec,
  Tensor,
} from "@nonlin/core";
import { dirname, isAbsolute, join } from "node:path";
import {
  applyDataset,
  type BatchReport,
  formatSummary,
  parseShard,
  type Shard,
  shardFromEnv,
  SHARDS_ENV,
  verifyDataset,
} from "./batch.ts";
import { type BarState, progressBar } from "./_batch/progress.ts";
import { formatBytes } from "./_batch/report.ts";
import { tempPathFor } from "./_batch/temp.ts";

/** Where {@linkcode main} writes and what it knows about its terminal. */
export interface MainIO {
  /** Receives help text and a dry run's list. @default {writes to stdout} */
  stdout?: (text: string) => void;
  /** Receives errors, the progress bar and the summary. @default {writes to stderr} */
  stderr?: (text: string) => void;
  /** Whether stderr is a terminal (the progress bar is drawn only then). @default {Deno.stderr.isTerminal()} */
  isTerminal?: boolean;
  /**
   * Whether to handle SIGINT, SIGTERM and SIGHUP by removing the temporary files and exiting
   * 130, 143 or 129. @default {false}
   */
  handleSignals?: boolean;
  /** The environment `--shard auto` reads. @default {Deno.env.toObject()} */
  env?: Record<string, string | undefined>;
}

/** A bad command line: reported with a hint and exit code 2. */
class UsageError extends Error {
  override name = "UsageError";
}

/** The command line, parsed. */
interface Parsed {
  help: boolean;
  op?: string;
  input?: string;
  output?: string;
  workers?: number;
  chunkBytes?: number;
  concurrency?: number;
  lockTimeoutMs?: number;
  shard?: Shard | "auto";
  shards?: number;
  report?: string;
  quiet: boolean;
  force: boolean;
  dryRun: boolean;
  verify: boolean;
  options: AnyOptions;
}

/** One of the command's own flags: its help line and how it sets {@linkcode Parsed}. */
interface Flag {
  readonly name: string;
  /** The value's placeholder in the help; none for a switch. */
  readonly value?: string;
  readonly help: string;
  readonly set: (p: Parsed, value: string | undefined) => void;
}

function count(flag: string, text: string | undefined, min = 1): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(
      `Cannot use --${flag} ${JSON.stringify(text ?? "")}: expected an integer ≥ ${min}`,
    );
  }
  return Number(text);
}

const FLAGS: readonly Flag[] = [
  {
    name: "workers",
    value: "N",
    help: "worker threads (default: every core)",
    set: (p, v) => (p.workers = count("workers", v)),
  },
  {
    name: "chunk-size",
    value: "SIZE",
    help: "bytes read per chunk of a file: 4096, 64K, 32M, 1G (default 32M, shared by the " +
      "files in flight, at least 1M each)",
    set: (p, v) => (p.chunkBytes = parseSize(v)),
  },
  {
    name: "shard",
    value: "I/N|auto",
    help: "process part I of N (from 0), by a hash of each file's relative path; auto reads " +
      `JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (an array from 0), the count ` +
      `from --shards, ${SHARDS_ENV} or SLURM_ARRAY_TASK_COUNT`,
    set: (p, v) => (p.shard = v === "auto" ? "auto" : shard(v)),
  },
  {
    name: "shards",
    value: "N",
    help: "the shard count for --shard auto: a Kubernetes Indexed Job's completions, or a Slurm " +
      "array's size when resubmitting part of it",
    set: (p, v) => (p.shards = count("shards", v)),
  },
  {
    name: "force",
    help: "recompute outputs that are already complete",
    set: (p) => (p.force = true),
  },
  {
    name: "dry-run",
    help: "list what this shard would compute and skip, write nothing",
    set: (p) => (p.dryRun = true),
  },
  {
    name: "verify",
    help: "compute nothing: check every output against its record, its input's shape and its " +
      "SHA-256",
    set: (p) => (p.verify = true),
  },
  {
    name: "report",
    value: "FILE.json",
    help: "write a JSON report; {index} and {count} in the name become the shard's",
    set: (p, v) => (p.report = required("report", v)),
  },
  {
    name: "concurrency",
    value: "N",
    help: "files worked on at once (default 4)",
    set: (p, v) => (p.concurrency = count("concurrency", v)),
  },
  {
    name: "lock-timeout",
    value: "SECONDS",
    help: "take over a file whose lock another run stopped refreshing this long ago (default 30)",
    set: (p, v) => (p.lockTimeoutMs = count("lock-timeout", v, 0) * 1000),
  },
  {
    name: "quiet",
    help: "no progress bar and no summary; failures are still listed",
    set: (p) => (p.quiet = true),
  },
];

function required(flag: string, text: string | undefined): string {
  if (text === undefined || text === "") {
    throw new UsageError(`Cannot use --${flag} without a value`);
  }
  return text;
}

function shard(text: string | undefined): Shard {
  try {
    return parseShard(required("shard", text));
  } catch (error) {
    throw new UsageError((error as Error).message.replace("shard", "--shard"));
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Whether the command needs the option: core's function may require it (threshold's two numbers,
 * as in PyTorch) while the registry entry that the command calls fills in a default.
 */
function requiredHere(entry: ActivationInfo, spec: OptionSpec): boolean {
  if (!spec.required) return false;
  try {
    entry.forward(new Tensor(new Float64Array(0), [0]), {});
    return false;
  } catch {
    return true;
  }
}

function describe(entry: ActivationInfo, spec: OptionSpec): string {
  const value = spec.kind === "enum"
    ? ` ${spec.values!.join("|")}`
    : spec.kind === "boolean"
    ? ""
    : spec.kind === "integer"
    ? " INTEGER"
    : " NUMBER";
  const bounds = [
    spec.min !== undefined ? `≥ ${spec.min}` : "",
    spec.above !== undefined ? `> ${spec.above}` : "",
    spec.max !== undefined ? `≤ ${spec.max}` : "",
  ].filter(Boolean).join(", ");
  const extra = [
    requiredHere(entry, spec)
      ? "required"
      : spec.default !== undefined
      ? `default ${spec.default}`
      : "",
    bounds,
  ].filter(Boolean).join("; ");
  return `--${kebab(spec.name)}${value}  ${spec.description}${extra ? ` (${extra})` : ""}`;
}

/** `head` then `text` wrapped to lines of `width` characters, under `head`'s width. */
function wrap(head: string, text: string, width: number): string {
  const lines: string[] = [];
  let line = head;
  for (const word of text.split(" ")) {
    if (line.length > head.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = " ".repeat(head.length) + word;
    } else line += (line.length > head.length ? " " : "") + word;
  }
  return [...lines, line].join("\n");
}

/**
 * The help text, listing the command's options and every op of the registry with its options.
 *
 * @example Usage
 * ```ts
 * import { helpText } from "@nonlin/workers/cli";
 * import assert from "node:assert/strict";
 *
 * assert.match(helpText(), /--approximate none\|tanh\|sigmoid/);
 * assert.match(helpText(), /--shard I\/N\|auto/);
 * ```
 */
export function helpText(): string {
  const lines = [
    "Usage: deno run -A jsr:@nonlin/workers/cli <op> <input> <output> [options]",
    "",
    "Applies an activation to a little-endian float32 or float64 .npy file (C order), streaming",
    "it through a pool of workers; each output appears only once complete. <input> is a .npy",
    "file (then <output> is one), or a folder searched recursively for *.npy, or a quoted glob",
    "such as 'data/**/*.npy' (then <output> is a folder mirroring the inputs' relative paths).",
    "Outputs that are already complete for the same op, options and input are skipped.",
    "",
    "Options:",
  ];
  const pad = Math.max(...FLAGS.map((f) => f.name.length + (f.value ? f.value.length + 1 : 0)));
  for (const f of FLAGS) {
    lines.push(wrap(`  --${f.name}${f.value ? ` ${f.value}` : ""}`.padEnd(pad + 6), f.help, 100));
  }
  lines.push(`  ${"-h, --help".padEnd(pad + 4)}this help`, "", "Ops and their options:");
  const width = Math.max(...ACTIVATIONS.map((a) => a.name.length)) + 2;
  for (const a of ACTIVATIONS) {
    lines.push(`  ${a.name.padEnd(width)}${a.summary}`);
    for (const spec of a.options) lines.push(`  ${" ".repeat(width)}  ${describe(a, spec)}`);
  }
  lines.push(
    "",
    "Exit codes: 0 done, 1 a file failed, 2 bad arguments or input, 130/143/129 interrupted by",
    "SIGINT/SIGTERM/SIGHUP.",
  );
  return lines.join("\n") + "\n";
}

/** Parses a size such as `4096`, `64K`, `32M` or `1G` (powers of 1024) into bytes. */
function parseSize(text: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(required("chunk-size", text));
  if (!m) {
    throw new UsageError(
      `Cannot use --chunk-size ${JSON.stringify(text)}: expected bytes such as 4096, 64K or 32M`,
    );
  }
  const scale = { "": 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[m[2].toLowerCase()]!;
  const bytes = Math.floor(Number(m[1]) * scale);
  if (bytes < 1) {
    throw new UsageError(
      `Cannot use --chunk-size ${JSON.stringify(text)}: expected at least 1 byte`,
    );
  }
  return bytes;
}

function parseValue(spec: OptionSpec, flag: string, text: string | undefined): unknown {
  if (spec.kind === "boolean") {
    if (text === undefined || text === "true") return true;
    if (text === "false") return false;
    throw new UsageError(`Cannot use ${flag} ${JSON.stringify(text)}: expected true or false`);
  }
  if (text === undefined) throw new UsageError(`Cannot use ${flag} without a value`);
  const bad = (what: string) =>
    new UsageError(`Cannot use ${flag} ${JSON.stringify(text)}: expected ${what}`);
  if (spec.kind === "enum") {
    if (!spec.values!.includes(text)) throw bad(`one of ${spec.values!.join(", ")}`);
    return text;
  }
  // Number("") is 0 and Number("0x10") is 16: accept decimal notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?Infinity$/i.test(text)) throw bad("a number");
  const value = Number(text);
  const noun = spec.kind === "integer" ? "an integer" : "a number";
  const bounds = [
    spec.min !== undefined ? `≥ ${spec.min}` : "",
    spec.above !== undefined ? `> ${spec.above}` : "",
    spec.max !== undefined ? `≤ ${spec.max}` : "",
  ].filter(Boolean).join(" and ");
  const ok = (spec.kind !== "integer" || Number.isInteger(value)) &&
    (spec.min === undefined || value >= spec.min) &&
    (spec.above === undefined || value > spec.above) &&
    (spec.max === undefined || value <= spec.max) &&
    (bounds !== "" || Number.isFinite(value));
  if (!ok) throw bad(bounds ? `${noun} ${bounds}` : `a finite ${spec.kind}`);
  return value;
}

const SWITCHES = new Set(FLAGS.filter((f) => f.value === undefined).map((f) => f.name));

function isBoolean(op: string, flag: string): boolean {
  const entry = ACTIVATIONS.find((a) => a.name === op);
  return entry?.options.some((s) => kebab(s.name) === kebab(flag) && s.kind === "boolean") ?? false;
}

/** Splits the words into positional arguments and `[flag, value]` pairs. */
function tokenize(
  args: string[],
): { help: boolean; positional: string[]; flags: [string, string | undefined][] } {
  const positional: string[] = [], flags: [string, string | undefined][] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") help = true;
    else if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      flags.push([name, eq < 0 ? undefined : arg.slice(eq + 1)]);
      // A value follows unless the flag is a switch (--quiet, --force, --no-x, a boolean option
      // of the op named first) or the next word is another flag.
      const switchLike = SWITCHES.has(name) || name.startsWith("no-") ||
        (positional.length > 0 && isBoolean(positional[0], name));
      if (eq < 0 && i + 1 < args.length) {
        const next = args[i + 1];
        const takes = switchLike ? next === "true" || next === "false" : !next.startsWith("--");
        if (takes) flags[flags.length - 1][1] = args[++i];
      }
    } else positional.push(arg);
  }
  return { help, positional, flags };
}

function parse(args: string[]): Parsed {
  const { help, positional, flags } = tokenize(args);
  const parsed: Parsed = {
    help,
    quiet: false,
    force: false,
    dryRun: false,
    verify: false,
    options: {},
  };
  if (help) return parsed;
  if (positional.length !== 3) {
    throw new UsageError(
      `Cannot run with ${positional.length} arguments: expected <op> <input> <output>` +
        (positional.length > 3 ? " (quote a glob so that the shell does not expand it)" : ""),
    );
  }
  [parsed.op, parsed.input, parsed.output] = positional;
  const entry = getActivation(parsed.op);
  const specs = new Map(entry.options.map((s) => [kebab(s.name), s]));
  for (let [name, value] of flags) {
    let negated = false;
    if (name.startsWith("no-") && specs.get(kebab(name.slice(3)))?.kind === "boolean") {
      name = name.slice(3);
      negated = true;
    }
    const key = kebab(name);
    const flag = FLAGS.find((f) => f.name === key);
    if (flag !== undefined) {
      if (flag.value === undefined && value !== undefined && value !== "true") {
        // A switch takes no value: the word after it was an argument.
        throw new UsageError(`Cannot use --${key} with a value ${JSON.stringify(value)}`);
      }
      flag.set(parsed, value);
    } else if (specs.has(key)) {
      const spec = specs.get(key)!;
      parsed.options[spec.name] = negated ? false : parseValue(spec, `--${name}`, value);
    } else {
      const known = [...specs.keys(), ...FLAGS.map((f) => f.name), "help"].map((k) => `--${k}`);
      throw new UsageError(
        `Cannot use option --${name} with ${parsed.op}: expected one of ${known.join(", ")}`,
      );
    }
  }
  if (parsed.verify && (parsed.dryRun || parsed.force)) {
    throw new UsageError(`Cannot use --verify with --${parsed.force ? "force" : "dry-run"}`);
  }
  return parsed;
}

/** Error kinds that mean the arguments or the input are wrong (exit code 2), not the run. */
const INPUT_ERRORS = new Set([
  "UsageError",
  "SyntaxError",
  "TypeError",
  "RangeError",
  "NotFound",
  "PermissionDenied",
  "IsADirectory",
  "NotADirectory",
]);

function isInputError(error: unknown): boolean {
  return error instanceof Error && INPUT_ERRORS.has(error.name);
}

/**
 * A relative path as the user meant it: `deno task` runs commands in the folder of its
 * deno.json, and leaves the folder it was called from in INIT_CWD.
 */
function fromCaller(path: string): string {
  const caller = Deno.env.get("INIT_CWD");
  return caller && !isAbsolute(path) ? join(caller, path) : path;
}

/** The signals that stop a run cleanly, with the exit code each gives (128 + its number). */
const SIGNALS: readonly (readonly [Deno.Signal, number])[] = Deno.build.os === "windows"
  ? [["SIGINT", 130]]
  : [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]];

/** The shard to run: `--shard I/N`, or `auto` read from the scheduler's environment. */
function resolveShard(parsed: Parsed, env: Record<string, string | undefined>): Shard {
  if (parsed.shard === "auto") {
    try {
      return shardFromEnv(env, parsed.shards);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (parsed.shards !== undefined) {
    throw new UsageError("Cannot use --shards without --shard auto");
  }
  return parsed.shard ?? { index: 0, count: 1 };
}

/** Writes the report atomically, `{index}` and `{count}` in its name replaced by the shard's. */
async function writeReport(template: string, report: BatchReport): Promise<string> {
  const path = fromCaller(template)
    .replaceAll("{index}", String(report.shard.index))
    .replaceAll("{count}", String(report.shard.count));
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await Deno.writeTextFile(tmp, JSON.stringify(report, null, 2) + "\n");
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  return path;
}

/** A dry run's list: one line per file of the shard. */
function dryRunList(report: BatchReport): string {
  return report.files.map((f) =>
    f.status === "pending"
      ? `compute ${f.input} (${formatBytes(f.bytes)}): ${f.reason}\n`
      : f.status === "skipped"
      ? `skip    ${f.input}: ${f.reason}\n`
      : `fail    ${f.input}: ${f.error}\n`
  ).join("");
}

/** What a finished run prints, and its exit code. */
function conclude(
  report: BatchReport,
  parsed: Parsed,
  out: { stdout: (t: string) => void; stderr: (t: string) => void },
): number {
  const failed = report.files.filter((f) => f.status === "failed");
  if (report.mode === "dry-run") out.stdout(dryRunList(report));
  if (report.kind === "file" && report.mode === "apply") {
    // One file keeps the plain command's manners: quiet on success, its error and code on failure.
    const [file] = report.files;
    if (file?.status === "failed") {
      out.stderr(`error: ${file.error}\n`);
      return INPUT_ERRORS.has(file.errorName ?? "") ? 2 : 1;
    }
    if (file?.status === "skipped" && !parsed.quiet) {
      out.stderr(`${file.output} is already complete (${file.reason}); --force recomputes it\n`);
    }
    if (file === undefined && !parsed.quiet) {
      out.stderr(`${report.input} is not in shard ${report.shard.index}/${report.shard.count}\n`);
    }
    return 0;
  }
  if (!parsed.quiet) out.stderr(formatSummary(report));
  else if (failed.length > 0) {
    out.stderr(failed.map((f) => `failed: ${f.input}: ${f.error}\n`).join(""));
  }
  return failed.length > 0 ? 1 : 0;
}

/** Starts the run that `parsed` describes, in its mode. */
function start(
  parsed: Parsed,
  shard: Shard,
  signal: AbortSignal,
  onProgress: ((state: BarState) => void) | undefined,
): Promise<BatchReport> {
  const input = fromCaller(parsed.input!), output = fromCaller(parsed.output!);
  const common = {
    options: parsed.options,
    shard,
    ...(parsed.concurrency !== undefined ? { concurrency: parsed.concurrency } : {}),
  };
  if (parsed.verify) return verifyDataset(parsed.op!, input, output, common);
  return applyDataset(parsed.op!, input, output, {
    ...common,
    force: parsed.force,
    dryRun: parsed.dryRun,
    signal,
    ...(parsed.workers !== undefined ? { workers: parsed.workers } : {}),
    ...(parsed.chunkBytes !== undefined ? { chunkBytes: parsed.chunkBytes } : {}),
    ...(parsed.lockTimeoutMs !== undefined ? { lockTimeoutMs: parsed.lockTimeoutMs } : {}),
    ...(onProgress
      ? {
        onProgress: (p) =>
          onProgress({
            bytes: p.bytes,
            totalBytes: p.totalBytes,
            ...(p.totalFiles > 1 ? { files: p.files, totalFiles: p.totalFiles } : {}),
          }),
      }
      : {}),
  });
}

/** Aborts `controller` on SIGINT, SIGTERM and SIGHUP; returns the exit code and the cleanup. */
function onSignals(controller: AbortController, handle: boolean) {
  const state = { code: 130, stop: () => {} };
  if (!handle) return state;
  // Ctrl-C, kill, systemd, docker stop, Kubernetes preemption and Slurm's time limit (SIGTERM)
  // and a closed terminal (SIGHUP) all stop the run the same way: temporary files are removed,
  // outputs already renamed stay, and a rerun resumes.
  const listeners = SIGNALS.map(([name, code]) => {
    const listener = () => {
      state.code = code;
      controller.abort(new DOMException("Interrupted", "AbortError"));
    };
    Deno.addSignalListener(name, listener);
    return [name, listener] as const;
  });
  state.stop = () => {
    for (const [name, l] of listeners) Deno.removeSignalListener(name, l);
  };
  return state;
}

/**
 * Runs the command with `args` (without the program name) and resolves to its exit code.
 *
 * @example Usage
 * ```ts
 * import { main } from "@nonlin/workers/cli";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const code = await main(["relu", "missing.npy", "out.npy"], { stderr: (t) => (err += t) });
 * assert.equal(code, 2);
 * assert.match(err, /^error: /);
 * ```
 */
export async function main(args: string[], io: MainIO = {}): Promise<number> {
  const encoder = new TextEncoder();
  const stdout = io.stdout ?? ((t: string) => void Deno.stdout.writeSync(encoder.encode(t)));
  const stderr = io.stderr ?? ((t: string) => void Deno.stderr.writeSync(encoder.encode(t)));
  let parsed: Parsed, shard: Shard;
  try {
    parsed = parse(args);
    if (parsed.help) {
      stdout(helpText());
      return 0;
    }
    shard = resolveShard(parsed, io.env ?? Deno.env.toObject());
  } catch (error) {
    stderr(`error: ${(error as Error).message}\nRun with --help for the ops and their options.\n`);
    return 2;
  }
  const terminal = io.isTerminal ?? Deno.stderr.isTerminal();
  const bar = !parsed.quiet && terminal && !parsed.verify ? progressBar(stderr) : undefined;
  const controller = new AbortController();
  const signals = onSignals(controller, io.handleSignals ?? false);
  try {
    const report = await start(parsed, shard, controller.signal, bar?.update);
    bar?.end();
    if (parsed.report !== undefined) await writeReport(parsed.report, report);
    if (report.interrupted) {
      const left = report.totals.pending;
      stderr(`error: interrupted; ${left} file${left === 1 ? "" : "s"} not written\n`);
      return signals.code;
    }
    return conclude(report, parsed, { stdout, stderr });
  } catch (error) {
    bar?.end();
    if (controller.signal.aborted) {
      stderr("error: interrupted; no output written\n");
      return signals.code;
    }
    stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return isInputError(error) ? 2 : 1;
  } finally {
    signals.stop();
  }
}

if (import.meta.main) {
  // Setting the code instead of calling Deno.exit lets the process end by itself: a pool that
  // kept it alive would show up as a hang, not be hidden.
  Deno.exitCode = await main(Deno.args, { handleSignals: true });
}
