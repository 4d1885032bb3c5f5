/**
 * What INPUT names: one `.npy` file, a folder searched recursively for `*.npy`, or a glob; and
 * where each input's output goes. Private to the package.
 *
 * @module
 */

import { join, relative, resolve, sep } from "node:path";
import { isGlob, splitGlob } from "./glob.ts";

/** One input file and its path relative to the dataset's root (`/`-separated). */
export interface InputFile {
  readonly path: string;
  readonly rel: string;
}

/** The inputs of a run. */
export interface Inputs {
  /** `"file"`: INPUT is one file and OUTPUT a file; `"dataset"`: OUTPUT is a folder. */
  readonly kind: "file" | "dataset";
  /** The folder relative paths are taken from. */
  readonly root: string;
  /** Sorted by relative path. */
  readonly files: InputFile[];
}

/** Whether `child` is `parent` or inside it (both resolved). */
function within(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
}

/**
 * Finds the inputs that `input` names. Hidden files and folders (`.name`) are skipped, as a
 * shell's `*` skips them, and so is `output` when it lies inside a searched folder, so that a
 * second run never takes outputs for inputs.
 */
export async function findInputs(input: string, output: string): Promise<Inputs> {
  const info = await Deno.stat(input).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    if (isGlob(input)) return undefined;
    throw new Deno.errors.NotFound(`Cannot find ${input}: no such file or folder`);
  });
  if (info?.isFile) {
    if (resolve(input) === resolve(output)) {
      throw new RangeError(
        `Cannot write ${output} over its own input: choose another output path`,
      );
    }
    return { kind: "file", root: ".", files: [{ path: input, rel: baseName(input) }] };
  }
  const { root, pattern } = info?.isDirectory
    ? { root: input, pattern: /\.npy$/i }
    : splitGlob(input);
  if (within(resolve(root), resolve(output))) {
    throw new RangeError(
      `Cannot write outputs to ${output}: it holds the inputs (${root}); choose a folder outside it`,
    );
  }
  const files: InputFile[] = [];
  await walk(root, "", resolve(output), pattern, files, new Set());
  if (files.length === 0) {
    throw new Deno.errors.NotFound(`Cannot find any .npy file in ${JSON.stringify(input)}`);
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { kind: "dataset", root, files };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

/** Collects the files under `root/rel` matching `pattern`; symbolic links are followed once. */
async function walk(
  root: string,
  rel: string,
  output: string,
  pattern: RegExp,
  into: InputFile[],
  seen: Set<string>,
): Promise<void> {
  const folder = rel === "" ? root : join(root, rel);
  const real = await Deno.realPath(folder);
  if (seen.has(real) || within(resolve(folder), output)) return;
  seen.add(real);
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(folder)) entries.push(entry);
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
    const path = join(root, childRel);
    const info = entry.isSymlink ? await Deno.stat(path).catch(() => undefined) : entry;
    if (info?.isDirectory) await walk(root, childRel, output, pattern, into, seen);
    else if (info?.isFile && pattern.test(childRel)) into.push({ path, rel: childRel });
  }
}

/** Where `file`'s output goes: `output` itself for one file, else its mirror under `output`. */
export function outputPath(inputs: Inputs, file: InputFile, output: string): string {
  return inputs.kind === "file" ? output : join(output, ...file.rel.split("/"));
}
