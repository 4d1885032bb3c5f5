/**
 * The two worker APIs the pool runs on, behind one small interface: the web `Worker` (Deno,
 * browsers, Bun) and Node's `node:worker_threads`, reached through `process.getBuiltinModule`
 * so that no module imports `node:` (the package also bundles for browsers). Both sides are
 * here: starting a worker and watching it end, and exposing the worker's API. Private to the
 * package.
 */

import * as Comlink from "comlink";
import * as adapter from "comlink/dist/esm/node-adapter.mjs";
import { noWorkerApi } from "./_errors.ts";

/** The part of a Node `Worker` or `MessagePort` the pool uses. */
interface NodePort {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  // deno-lint-ignore no-explicit-any
  on(event: string, listener: (...args: any[]) => void): void;
  // deno-lint-ignore no-explicit-any
  off(event: string, listener: (...args: any[]) => void): void;
}

interface NodeWorker extends NodePort {
  terminate(): Promise<number>;
}

/** The part of `node:worker_threads` the pool uses. */
interface WorkerThreads {
  Worker: new (url: URL | string, options?: { name?: string }) => NodeWorker;
  parentPort: NodePort | null;
}

/** The part of the Web Locks API the pool uses (missing from Deno's types). */
export interface Locks {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

/** The Web Locks of this thread, where there are any. */
export function webLocks(): Locks | undefined {
  return (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
}

/**
 * Comlink's endpoint over a Node port. The adapter is an ES module whose default export is the
 * function, but its types describe a CommonJS module, hence the cast.
 */
const nodeEndpoint = adapter.default as unknown as (port: NodePort) => Comlink.Endpoint;

/** Node's built-in modules without an import: Node 20.16+ and 22.3+. */
function nodeBuiltin<T>(id: string): T | undefined {
  const process = (globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
  }).process;
  return process?.getBuiltinModule?.(id) as T | undefined;
}

/** Node's worker threads, where there is no web `Worker` (Deno and browsers have one). */
function workerThreads(): WorkerThreads | undefined {
  return typeof Worker === "undefined" ? nodeBuiltin("node:worker_threads") : undefined;
}

/**
 * How many threads this machine runs at once: `navigator.hardwareConcurrency`, or Node's
 * `os.availableParallelism()` where there is no `navigator` (Node 20), else 1.
 */
export function hardwareThreads(): number {
  const web = globalThis.navigator?.hardwareConcurrency;
  if (web) return web;
  const os = nodeBuiltin<{ availableParallelism?: () => number }>("node:os");
  return os?.availableParallelism?.() ?? 1;
}

/** What the pool hears from a worker besides answers. */
export interface ThreadEvents {
  /** An uncaught error or unhandled rejection killed it, or a message could not be read. */
  crashed(message: string, cause: unknown): void;
  /** It ended by itself (`self.close()`, `Deno.exit()`, `process.exit()`), with its exit code if known. */
  exited(code?: number): void;
}

/** A started worker, whichever API it runs on. */
export interface WorkerThread {
  /** What comlink talks to. */
  readonly endpoint: Comlink.Endpoint;
  /**
   * The Web Lock the worker should hold for as long as it lives (see `WorkerApi.hold`), or
   * undefined where its end is reported otherwise (Node's `exit` event) or cannot be known.
   */
  readonly lock?: string;
  /** Starts watching for the worker's end once it holds {@linkcode WorkerThread.lock}. */
  watch(): void;
  /** Stops the worker. */
  terminate(): void;
}

let started = 0;

/** Starts the module worker at `url`, reporting its crash or its end to `events`. */
export function startWorker(url: string | URL, events: ThreadEvents): WorkerThread {
  const node = workerThreads();
  if (node) return startNodeWorker(node, url, events);
  if (typeof Worker === "undefined") throw noWorkerApi();
  return startWebWorker(url, events);
}

function startWebWorker(url: string | URL, events: ThreadEvents): WorkerThread {
  const name = `@nonlin/workers pool worker ${++started}`;
  const worker = new Worker(url, { type: "module", name });
  const crash = (event: Event) => {
    // Without this, Deno rethrows the worker's uncaught error in the host and exits.
    event.preventDefault();
    const message = (event as ErrorEvent).message ?? "the worker could not read a message";
    events.crashed(message, (event as ErrorEvent).error ?? message);
  };
  worker.addEventListener("error", crash);
  worker.addEventListener("messageerror", crash);
  // A worker that closes itself fires no event on the web API. It holds a Web Lock of its own
  // while it lives; the lock is released when its thread ends, however it ends, and the pool,
  // queued behind it, is granted it then.
  const locks = webLocks();
  const lock = locks && `${name} ${crypto.randomUUID()}`;
  let gone = false;
  return {
    endpoint: worker,
    ...(lock ? { lock } : {}),
    watch() {
      if (lock && locks) {
        locks.request(lock, () => {
          if (!gone) events.exited();
        }).catch(() => {});
      }
    },
    terminate() {
      gone = true;
      worker.terminate();
    },
  };
}

function startNodeWorker(
  node: WorkerThreads,
  url: string | URL,
  events: ThreadEvents,
): WorkerThread {
  // Node reads a string as a path; a file: or data: URL must come as a URL object.
  const where = typeof url === "string" && /^(file|data):/.test(url) ? new URL(url) : url;
  const worker = new node.Worker(where, { name: `@nonlin/workers pool worker ${++started}` });
  let gone = false;
  worker.on("error", (error: unknown) => {
    if (gone) return;
    gone = true;
    events.crashed(error instanceof Error ? error.message : String(error), error);
  });
  worker.on("messageerror", (error: unknown) => {
    if (!gone) events.crashed("the worker could not read a message", error);
  });
  worker.on("exit", (code: number) => {
    if (gone) return;
    gone = true;
    events.exited(code);
  });
  return {
    endpoint: nodeEndpoint(worker),
    watch() {},
    terminate() {
      gone = true;
      worker.terminate().catch(() => {});
    },
  };
}

/** Exposes `api` to the thread that started this worker, on either worker API. */
export function exposeApi(api: object): void {
  const port = workerThreads()?.parentPort;
  if (port) Comlink.expose(api, nodeEndpoint(port));
  else Comlink.expose(api);
}
