/**
 * One lock per output, `.out.npy.lock` beside it, so that two runs given the same shard never
 * write the same output at once. Taking it is an exclusive create, which local file systems and
 * NFS (v3 and later) make atomic. Its holder touches it every few seconds; a lock is taken over
 * when its holder is known to be dead (same host and pid namespace, pid gone) or when it has not
 * changed for the lock timeout as measured by the waiting process's own clock, so that clocks of
 * different machines are never compared. Private to the package.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { HOST, PID_NAMESPACE, processGone } from "./host.ts";

/** How often a holder touches its locks. */
export const HEARTBEAT_MS = 2_000;

/** What a lock file says about its holder. */
interface Holder {
  host: string;
  pidns: string;
  pid: number;
  token: string;
  since: string;
}

/** The lock of `outPath`: `.out.npy.lock` beside it. */
export function lockPath(outPath: string): string {
  return join(dirname(outPath), `.${basename(outPath)}.lock`);
}

const held = new Map<string, string>(); // path → token, for the heartbeat
let heartbeat: ReturnType<typeof setInterval> | undefined;

function touchAll(): void {
  const now = new Date();
  for (const path of held.keys()) Deno.utime(path, now, now).catch(() => {});
}

/** A lock this process holds. */
export interface Lock {
  readonly path: string;
  /** Removes the lock if it is still this process's (a taken-over lock is left to its taker). */
  release(): Promise<void>;
}

/** Takes the lock of `outPath`, or returns undefined when another run holds it. */
export async function tryLock(outPath: string): Promise<Lock | undefined> {
  const path = lockPath(outPath);
  const token = crypto.randomUUID();
  const holder: Holder = {
    host: HOST,
    pidns: PID_NAMESPACE,
    pid: Deno.pid,
    token,
    since: new Date().toISOString(),
  };
  try {
    await Deno.writeTextFile(path, JSON.stringify(holder) + "\n", { createNew: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return undefined;
    throw error;
  }
  held.set(path, token);
  // Unref'd: a heartbeat must never keep a finished process alive.
  if (heartbeat === undefined) {
    heartbeat = setInterval(touchAll, HEARTBEAT_MS);
    Deno.unrefTimer(heartbeat);
  }
  return {
    path,
    async release() {
      held.delete(path);
      if (held.size === 0 && heartbeat !== undefined) {
        clearInterval(heartbeat);
        heartbeat = undefined;
      }
      if ((await readHolder(path))?.token === token) await Deno.remove(path).catch(() => {});
    },
  };
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch {
    return undefined;
  }
}

/** What a waiter last saw of a lock, to tell a live holder from a dead one. */
interface Sighting {
  readonly key: string;
  readonly at: number;
}

/**
 * Watches locks held by other runs. {@linkcode LockWatcher.check} says whether a lock is still
 * held, and breaks it when its holder is gone.
 */
export class LockWatcher {
  readonly #seen = new Map<string, Sighting>();
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** `"free"` when the lock of `outPath` is gone or was just broken, else `"held"`. */
  async check(outPath: string): Promise<"free" | "held"> {
    const path = lockPath(outPath);
    const info = await Deno.stat(path).catch(() => undefined);
    if (info === undefined) return "free";
    const holder = await readHolder(path);
    const key = `${info.mtime?.getTime()} ${holder?.token}`;
    const seen = this.#seen.get(path);
    const now = performance.now();
    if (seen === undefined || seen.key !== key) this.#seen.set(path, { key, at: now });
    const local = holder?.host === HOST && holder.pidns === PID_NAMESPACE;
    const dead = local && (await processGone(holder.pid)) === true;
    const silent = seen !== undefined && seen.key === key && now - seen.at >= this.#timeoutMs;
    if (!dead && !silent) return "held";
    this.#seen.delete(path);
    await breakLock(path, holder?.token);
    return "free";
  }
}

/**
 * Removes a stale lock without removing a fresh one that replaced it in the meantime: the lock is
 * renamed away (atomic, so only one waiter gets it), and put back with a link, which never
 * overwrites, if it turns out to be another holder's.
 */
async function breakLock(path: string, token: string | undefined): Promise<void> {
  const aside = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.broken`;
  try {
    await Deno.rename(path, aside);
  } catch {
    return; // another waiter broke it first
  }
  if ((await readHolder(aside))?.token !== token) {
    await Deno.link(aside, path).catch(() => {});
  }
  await Deno.remove(aside).catch(() => {});
}
