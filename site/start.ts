/**
 * Starts the docs site fetching only the npm packages it uses: what `deno task start` runs.
 *
 * ```sh
 * deno run -A site/start.ts [--port=8000] [--hostname=127.0.0.1] [--no-build]
 * ```
 *
 * It writes the site's standalone configuration (`_standalone.ts`: the site's and the library's
 * import maps and files, none of the other members' packages) to `site/_build/start.jsonc`, then
 * runs `site/main.ts` with it, passing the flags on; `NONLIN_SITE_CONFIG` tells the asset build to
 * bundle and document with it too. From a cold cache that fills 39 MiB of `DENO_DIR` (15 MB over
 * the network) instead of the workspace's 230 MiB. This file loads no npm package itself, so
 * starting it installs nothing.
 *
 * Signals it receives are passed to the server and it exits with the server's exit code. It stops
 * the server when the process that started it exits (`_lifeline.ts`), and the server stops by
 * itself when this process ends, even killed outright (`--stop-with-stdin`).
 *
 * @module
 */

import { SITE_DIR } from "./_paths.ts";
import { CONFIG_ENV, writeStandaloneConfig } from "./_standalone.ts";
import { watchLaunchers } from "./_lifeline.ts";

if (import.meta.main) {
  const config = await writeStandaloneConfig();
  const server = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--config=${config}`,
      "--no-lock",
      `${SITE_DIR}/main.ts`,
      "--stop-with-stdin",
      ...Deno.args,
    ],
    env: { [CONFIG_ENV]: config },
    // The server stops when this pipe closes, however this process ends.
    stdin: "piped",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => {
    try {
      server.kill(signal);
    } catch {
      // Already exited; its status is on its way.
    }
  };
  if (Deno.build.os === "windows") {
    // Ctrl-C reaches every process of the console; staying alive lets the server finish.
    Deno.addSignalListener("SIGINT", () => {});
  } else {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      Deno.addSignalListener(signal, forward(signal));
    }
  }
  // If what started this exits, stop the server as `kill` would.
  const stopServer = forward(Deno.build.os === "windows" ? "SIGKILL" : "SIGTERM");
  watchLaunchers((pid) => {
    console.error(`Stopping: process ${pid}, which started the site, has exited`);
    stopServer();
  });
  // A server killed by a signal has 128 + its number as its code, as a shell reports it.
  Deno.exit((await server.status).code);
}
