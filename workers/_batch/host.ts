/**
 * Who this process is, for the names of its temporary files and locks, and whether another
 * writer is still alive. Private to the package.
 *
 * @module
 */

/** This machine's name, kept to letters, digits and `-` so that it can sit inside a file name. */
export const HOST: string = (() => {
  try {
    return Deno.hostname().replace(/[^A-Za-z0-9-]/g, "-").slice(0, 40) || "host";
  } catch {
    return "host"; // no --allow-sys: every writer then looks remote, which is the safe side
  }
})();

/**
 * This process's pid namespace (`pid:[4026531836]`): two containers on one host may share a
 * hostname but not their pids, so a pid is only looked up when both namespace and host match.
 */
export const PID_NAMESPACE: string = (() => {
  try {
    return Deno.readLinkSync("/proc/self/ns/pid");
  } catch {
    return "";
  }
})();

const HAS_PROC: boolean = (() => {
  try {
    Deno.statSync("/proc/self");
    return true;
  } catch {
    return false;
  }
})();

/**
 * Whether process `pid` of this host and pid namespace is gone: true only when the process
 * table says so, undefined where it cannot be read (no /proc).
 */
export async function processGone(pid: number): Promise<boolean | undefined> {
  if (!HAS_PROC || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === Deno.pid) return false;
  try {
    await Deno.stat(`/proc/${pid}`);
    return false;
  } catch {
    return true;
  }
}

/** Whether `path` exists (anything at all, even a broken link's target aside). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
