/**
 * The `apply` command: applies an activation to a `.npy` file on every core, streaming.
 *
 * ```sh
 * deno run -A jsr:@nonlin/workers/cli gelu in.npy out.npy --approximate tanh
 * deno run -A jsr:@nonlin/workers/cli softmax in.npy out.npy --dim 0 --workers 4 --quiet
 * ```
 *
 * Exit codes: 0 done, 1 failed while computing or writing, 2 bad arguments or an input that is
 * not a little-endian C-order float32/float64 `.npy` (no output is written), 130 interrupted.
 *
 * @module
 */

import { ACTIVATIONS, type AnyOptions, getActivation, type OptionSpec } from "@nonlin/core";
import { isAbsolute, join } from "node:path";
import { applyNpy, type ApplyProgress } from "./apply.ts";

/** Where {@linkcode main} writes and what it knows about its terminal. */
export interface MainIO {
  /** Receives help text. @default {writes to stdout} */
  stdout?: (text: string) => void;
  /** Receives errors and the progress bar. @default {writes to stderr} */
  stderr?: (text: string) => void;
  /** Whether stderr is a terminal (the progress bar is drawn only then). @default {Deno.stderr.isTerminal()} */
  isTerminal?: boolean;
  /**
   * Whether to handle SIGINT, SIGTERM and SIGHUP by removing the temporary file and exiting
   * 130, 143 or 129. @default {false}
   */
  handleSignals?: boolean;
}

/** A bad command line: reported with a hint and exit code 2. */
class UsageError extends Error {
  override name = "UsageError";
}

const COMMON = ["workers", "chunk-size", "quiet", "help"];

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function describe(spec: OptionSpec): string {
  const value = spec.kind === "enum"
    ? spec.values!.join("|")
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
    spec.required ? "required" : spec.default !== undefined ? `default ${spec.default}` : "",
    bounds,
  ].filter(Boolean).join("; ");
  return `--${kebab(spec.name)}${spec.kind === "enum" ? ` ${value}` : value}  ${spec.description}${
    extra ? ` (${extra})` : ""
  }`;
}

/**
 * The help text, listing every op of the registry with its options.
 *
 * @example Usage
 * ```ts
 * import { helpText } from "@nonlin/workers/cli";
 * import assert from "node:assert/strict";
 *
 * assert.match(helpText(), /--approximate none\|tanh\|sigmoid/);
 * ```
 */
export function helpText(): string {
  const lines = [
    "Usage: deno run -A jsr:@nonlin/workers/cli <op> <in.npy> <out.npy> [options]",
    "",
    "Applies an activation to a little-endian float32 or float64 .npy file (C order), streaming",
    "it through a pool of workers; out.npy appears only once complete.",
    "",
    "Options:",
    "  --workers N        worker threads (default: every core)",
    "  --chunk-size SIZE  bytes read per chunk: 4096, 64K, 32M, 1G (default 32M)",
    "  --quiet            no progress bar",
    "  -h, --help         this help",
    "",
    "Ops and their options:",
  ];
  const width = Math.max(...ACTIVATIONS.map((a) => a.name.length)) + 2;
  for (const a of ACTIVATIONS) {
    lines.push(`  ${a.name.padEnd(width)}${a.summary}`);
    for (const spec of a.options) lines.push(`  ${" ".repeat(width)}  ${describe(spec)}`);
  }
  lines.push("", "Exit codes: 0 done, 1 failed, 2 bad arguments or input, 130 interrupted.");
  return lines.join("\n") + "\n";
}

/** Parses a size such as `4096`, `64K`, `32M` or `1G` (powers of 1024) into bytes. */
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(text);
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

interface Parsed {
  help: boolean;
  op?: string;
  input?: string;
  output?: string;
  workers?: number;
  chunkBytes?: number;
  quiet: boolean;
  options: AnyOptions;
}

function isBoolean(op: string, flag: string): boolean {
  const entry = ACTIVATIONS.find((a) => a.name === op);
  return entry?.options.some((s) => kebab(s.name) === kebab(flag) && s.kind === "boolean") ?? false;
}

function parse(args: string[]): Parsed {
  const parsed: Parsed = { help: false, quiet: false, options: {} };
  const positional: string[] = [];
  const flags: [string, string | undefined][] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") {
      parsed.help = true;
    } else if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      flags.push([name, eq < 0 ? undefined : arg.slice(eq + 1)]);
      // A value follows unless the flag is a switch (--quiet, --no-x, a boolean option of the
      // op named first) or the next word is another flag.
      const switchLike = name === "quiet" || name.startsWith("no-") ||
        (positional.length > 0 && isBoolean(positional[0], name));
      if (eq < 0 && i + 1 < args.length) {
        const next = args[i + 1];
        const takes = switchLike ? next === "true" || next === "false" : !next.startsWith("--");
        if (takes) flags[flags.length - 1][1] = args[++i];
      }
    } else {
      positional.push(arg);
    }
  }
  if (parsed.help) return parsed;
  if (positional.length !== 3) {
    throw new UsageError(
      `Cannot run with ${positional.length} arguments: expected <op> <in.npy> <out.npy>`,
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
    if (key === "quiet") {
      if (value !== undefined) {
        // `--quiet` takes no value: the word after it was an argument.
        throw new UsageError(`Cannot use --quiet with a value ${JSON.stringify(value)}`);
      }
      parsed.quiet = true;
    } else if (key === "workers") {
      const n = Number(value);
      if (value === undefined || !/^\d+$/.test(value) || n < 1) {
        throw new UsageError(
          `Cannot use --workers ${JSON.stringify(value ?? "")}: expected an integer ≥ 1`,
        );
      }
      parsed.workers = n;
    } else if (key === "chunk-size") {
      if (value === undefined) throw new UsageError("Cannot use --chunk-size without a value");
      parsed.chunkBytes = parseSize(value);
    } else if (specs.has(key)) {
      const spec = specs.get(key)!;
      parsed.options[spec.name] = negated ? false : parseValue(spec, `--${name}`, value);
    } else {
      const known = [...specs.keys(), ...COMMON].map((k) => `--${k}`).join(", ");
      throw new UsageError(
        `Cannot use option --${name} with ${parsed.op}: expected one of ${known}`,
      );
    }
  }
  return parsed;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let i = -1;
  do {
    n /= 1024;
    i++;
  } while (n >= 1024 && i < units.length - 1);
  return `${n.toFixed(1)} ${units[i]}`;
}

/** Draws `[#####.....] 50% 1.0/2.0 GiB 120.3 MiB/s 8s left` at most ten times a second. */
function progressBar(write: (text: string) => void): {
  update(p: ApplyProgress): void;
  end(): void;
} {
  const start = performance.now();
  let last = -Infinity, drawn = false;
  return {
    update({ done, total }) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const seconds = (now - start) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const fraction = total > 0 ? done / total : 1;
      const filled = Math.round(fraction * 30);
      const left = rate > 0 ? Math.ceil((total - done) / rate) : NaN;
      write(
        `\r\x1b[K[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${
          Math.floor(fraction * 100)
        }% ` +
          `${formatBytes(done)}/${formatBytes(total)} ${formatBytes(Math.round(rate))}/s` +
          (Number.isFinite(left) ? ` ${left}s left` : ""),
      );
      drawn = true;
    },
    end() {
      if (drawn) write("\r\x1b[K");
    },
  };
}

function isInputError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof SyntaxError ||
    error instanceof TypeError || error instanceof RangeError ||
    error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.IsADirectory;
}

/**
 * A relative path as the user meant it: \`deno task\` runs commands in the folder of its
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
  let parsed: Parsed;
  try {
    parsed = parse(args);
  } catch (error) {
    stderr(`error: ${(error as Error).message}\nRun with --help for the ops and their options.\n`);
    return 2;
  }
  if (parsed.help) {
    stdout(helpText());
    return 0;
  }
  const terminal = io.isTerminal ?? Deno.stderr.isTerminal();
  const bar = !parsed.quiet && terminal ? progressBar(stderr) : undefined;
  const controller = new AbortController();
  // Ctrl-C, kill, systemd, docker stop and timeout (SIGTERM) and a closed terminal (SIGHUP) all
  // stop the run the same way: the temporary file is removed, nothing is written.
  let exitCode = 130;
  const listeners = SIGNALS.map(([name, code]) => {
    const listener = () => {
      exitCode = code;
      controller.abort(new DOMException("Interrupted", "AbortError"));
    };
    return [name, listener] as const;
  });
  if (io.handleSignals) { for (const [name, l] of listeners) Deno.addSignalListener(name, l); }
  try {
    await applyNpy(parsed.op!, fromCaller(parsed.input!), fromCaller(parsed.output!), {
      options: parsed.options,
      ...(parsed.workers !== undefined ? { workers: parsed.workers } : {}),
      ...(parsed.chunkBytes !== undefined ? { chunkBytes: parsed.chunkBytes } : {}),
      ...(bar ? { onProgress: bar.update } : {}),
      signal: controller.signal,
    });
    bar?.end();
    return 0;
  } catch (error) {
    bar?.end();
    if (controller.signal.aborted) {
      stderr("error: interrupted; no output written\n");
      return exitCode;
    }
    stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return isInputError(error) ? 2 : 1;
  } finally {
    if (io.handleSignals) { for (const [name, l] of listeners) Deno.removeSignalListener(name, l); }
  }
}

if (import.meta.main) {
  // Setting the code instead of calling Deno.exit lets the process end by itself: a pool that
  // kept it alive would show up as a hang, not be hidden.
  Deno.exitCode = await main(Deno.args, { handleSignals: true });
}
