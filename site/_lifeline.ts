/**
 * Notices when the processes that launched this one are gone, so that a server does not outlive
 * the command that started it.
 *
 * `npx deno task start` is four processes: npx (Node.js), a shell, `deno task`, then the site.
 * Killing npx leaves the rest running: nobody signals `deno task`, and it does not watch its
 * parent. So each of the site's processes watches its launchers: its parent, and every further
 * ancestor in its own process group (the job a shell started, or whatever its caller put it in),
 * stopping when one of them exits. Ancestors outside the group (the user's shell, a terminal
 * multiplexer, systemd) are not watched: a job started in the background with `&` keeps running
 * when the shell that started it exits.
 *
 * On Linux the ancestors are read from `/proc` (a process is identified by its id and start time,
 * so a recycled id is no confusion, and a zombie counts as gone). Elsewhere only the parent is
 * watched: a process whose parent exits is handed to another, so its parent id changes.
 *
 * @module
 */

/** One process as `/proc/<pid>/stat` describes it. */
export interface ProcessStat {
  /** The process id. */
  pid: number;
  /** The state letter: `R` running, `S` sleeping, `Z` zombie (exited, not yet reaped), … */
  state: string;
  /** The parent's id. */
  ppid: number;
  /** The process group's id. */
  pgrp: number;
  /** When the process started, in clock ticks since boot: with the id, names one process. */
  startTime: string;
}

/**
 * Parses the contents of `/proc/<pid>/stat`. The command name is in parentheses and may itself
 * hold spaces and parentheses, so fields are counted from the last `)`.
 *
 * @example Usage
 * ```ts
 * import { parseStat } from "./_lifeline.ts";
 * import assert from "node:assert/strict";
 *
 * const stat = parseStat("42 (npm exec (x)) S 7 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5150 0");
 * assert.deepEqual(stat, { pid: 42, state: "S", ppid: 7, pgrp: 42, startTime: "5150" });
 * ```
 */
export function parseStat(text: string): ProcessStat | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  const pid = Number.parseInt(text, 10);
  // Fields 3 onwards (state, ppid, pgrp, …); starttime is field 22.
  const fields = text.slice(close + 2).trim().split(/\s+/);
  if (!Number.isInteger(pid) || fields.length < 20) return undefined;
  return {
    pid,
    state: fields[0],
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime: fields[19],
  };
}

/** Reads `/proc/<pid>/stat`; `undefined` if there is no such process or no `/proc`. */
export function readStat(pid: number): ProcessStat | undefined {
  try {
    return parseStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
}

/**
 * The processes whose exit should stop this one (see the module doc), nearest first, or
 * `undefined` where `/proc` cannot be read.
 */
export function launchers(): ProcessStat[] | undefined {
  const self = readStat(Deno.pid);
  if (self === undefined) return undefined;
  const found: ProcessStat[] = [];
  let pid = self.ppid;
  // pid 0 has no entry, and pid 1 (init, or a container's first process) never exits.
  while (pid > 1 && found.length < 64) {
    const stat = readStat(pid);
    if (stat === undefined || (found.length > 0 && stat.pgrp !== self.pgrp)) break;
    found.push(stat);
    pid = stat.ppid;
  }
  return found;
}

/** Whether a process read earlier by {@linkcode launchers} has exited since. */
export function hasExited(process: ProcessStat): boolean {
  const now = readStat(process.pid);
  return now === undefined || now.startTime !== process.startTime || now.state === "Z" ||
    now.state === "X";
}

/** Options of {@linkcode watchLaunchers}. */
export interface WatchLaunchersOptions {
  /** How often to look, in milliseconds. @default {500} */
  interval?: number;
  /** Stops watching. */
  signal?: AbortSignal;
}

/**
 * Calls `onGone` once, with the process id, when one of this process's launchers has exited.
 * The timer does not keep the process alive.
 *
 * @example Usage
 * ```ts
 * import { watchLaunchers } from "./_lifeline.ts";
 *
 * const stop = new AbortController();
 * watchLaunchers((pid) => console.error(`Stopping: process ${pid} exited`), {
 *   signal: stop.signal,
 * });
 * stop.abort();
 * ```
 */
export function watchLaunchers(
  onGone: (pid: number) => void,
  options: WatchLaunchersOptions = {},
): void {
  const { interval = 500, signal } = options;
  if (signal?.aborted) return;
  const watched = Deno.build.os === "linux" ? launchers() : undefined;
  const parent = Deno.ppid;
  const gone = (): number | undefined => {
    if (watched === undefined) return Deno.ppid === parent ? undefined : parent;
    return watched.find(hasExited)?.pid;
  };
  const timer = setInterval(() => {
    const pid = gone();
    if (pid === undefined) return;
    clearInterval(timer);
    onGone(pid);
  }, interval);
  Deno.unrefTimer(timer);
  signal?.addEventListener("abort", () => clearInterval(timer), { once: true });
}
