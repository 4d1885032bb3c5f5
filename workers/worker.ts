/**
 * The pool's worker: exposes the {@linkcode WorkerApi} through comlink, on the web Worker API
 * (Deno, browsers) or on Node's `node:worker_threads`. Load it as a module worker;
 * {@linkcode WorkerPool} does so itself, or takes its URL as `workerUrl` when a bundler moved
 * it.
 *
 * @example Start one by hand
 * ```ts ignore
 * import * as Comlink from "comlink";
 * import type { WorkerApi } from "@nonlin/workers";
 *
 * const worker = new Worker(import.meta.resolve("@nonlin/workers/worker"), { type: "module" });
 * const api = Comlink.wrap<WorkerApi>(worker);
 * console.log(await api.ping());
 * worker.terminate();
 * ```
 *
 * @module
 */

import { exposeApi } from "./_platform.ts";
import { workerApi } from "./_protocol.ts";

export type { WorkerApi } from "./_protocol.ts";

exposeApi(workerApi);
