/**
 * Temporary files beside an output, and the removal of those that killed runs left. A name
 * carries its writer, `.out.npy.<pid>@<host>.<random>.tmp`, so that a later run knows whose it
 * is. Private to the package.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { HOST, processGone } from "./host.ts";

/** A writer's temporary file name after the output's prefix: `<pid>[@<host>].<random>.tmp`. */
const TEMP_NAME = /^(\d+)(?:@([A-Za-z0-9-]+))?\.[A-Za-z0-9]{8}\.tmp$/;

/** Temporary files of another host are only judged by age: an hour untouched. */
const REMOTE_STALE_MS = 3_600_000;

/** The prefix of this output's temporary files: `.out.npy.`. */
function tempPrefix(outPath: string): string {
  return `.${basename(outPath)}.`;
}

/** A fresh temporary file name for `outPath`, beside it. */
export function tempPathFor(outPath: string): string {
  const random = crypto.randomUUID().slice(0, 8);
  return join(dirname(outPath), `${tempPrefix(outPath)}${Deno.pid}@${HOST}.${random}.tmp`);
}

/** Which temporary files of an output to remove. */
export type StaleRule =
  /** Those whose writer is known to be gone: for a writer that holds no lock. */
  | "dead"
  /** Every one but this process's: for a writer holding the output's lock, which all take. */
  | "others";

/** The names in a folder; a run lists each output folder once (see {@linkcode cachedListing}). */
export type Listing = (folder: string) => Promise<readonly string[]>;

async function listNames(folder: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(folder)) if (entry.isFile) names.push(entry.name);
  } catch {
    // A folder that does not exist yet holds nothing stale.
  }
  return names;
}

/**
 * A listing that reads each folder once. Temporary files that killed runs left are there before
 * the run starts, so one look suffices, and a dataset of n files in one folder costs n names
 * read instead of n² (one look per output).
 */
export function cachedListing(): Listing {
  const cache = new Map<string, Promise<string[]>>();
  return (folder) => {
    let names = cache.get(folder);
    if (names === undefined) cache.set(folder, names = listNames(folder));
    return names;
  };
}

/**
 * Removes temporary files an earlier run left for this output when it was killed (SIGKILL, a
 * power cut). With `"dead"`, a file is stale when its writer's process no longer exists on this
 * host, or, for another host's or where the process table cannot be read, when it has been
 * untouched for an hour: a live writer's file is kept, so two lockless runs of the same output
 * never delete each other's work. Returns how many were removed.
 */
export async function removeStaleTemporaries(
  outPath: string,
  rule: StaleRule,
  listing: Listing = listNames,
): Promise<number> {
  const folder = dirname(outPath), prefix = tempPrefix(outPath);
  let removed = 0;
  for (const name of await listing(folder)) {
    if (!name.startsWith(prefix)) continue;
    const m = TEMP_NAME.exec(name.slice(prefix.length));
    if (m === null) continue; // another output's (`a.npy.npy`'s for `a.npy`) or not ours at all
    const pid = Number(m[1]), host = m[2] ?? HOST;
    const path = join(folder, name);
    if (pid === Deno.pid && host === HOST) continue;
    if (rule === "dead" && !(await isStale(path, pid, host))) continue;
    await Deno.remove(path).then(() => removed++, () => {});
  }
  return removed;
}

async function isStale(path: string, pid: number, host: string): Promise<boolean> {
  const gone = host === HOST ? await processGone(pid) : undefined;
  if (gone !== undefined) return gone;
  const info = await Deno.stat(path).catch(() => undefined);
  return info?.mtime != null && Date.now() - info.mtime.getTime() > REMOTE_STALE_MS;
}

/**
 * Refuses an output path that cannot be written before any work is done: a folder, or a path
 * whose folder does not exist (named, rather than the temporary file's open failing later).
 */
export async function checkOutputPath(outPath: string): Promise<void> {
  const folder = dirname(outPath);
  try {
    const info = await Deno.stat(folder);
    if (!info.isDirectory) {
      throw new Deno.errors.NotADirectory(`Cannot write ${outPath}: ${folder} is not a folder`);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Cannot write ${outPath}: the folder ${folder} does not exist`,
      );
    }
    throw error;
  }
  try {
    if ((await Deno.stat(outPath)).isDirectory) {
      throw new Deno.errors.IsADirectory(`Cannot write ${outPath}: it is a folder`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
