/**
 * Serves the docs site: builds the browser assets, then listens.
 *
 * ```sh
 * deno run -A site/main.ts [--port=8000] [--hostname=127.0.0.1] [--no-build] [--stop-with-stdin]
 * ```
 *
 * `PORT` in the environment works too. `--no-build` skips the asset build, for when
 * `site/_build/` is already current. `deno task start` runs this through `start.ts`, which fetches
 * only the site's npm packages.
 *
 * Ctrl-C, `SIGTERM` and `SIGHUP` stop it gracefully, and so does the exit of the process that
 * started it (`_lifeline.ts`): killing the `npx` of `npx deno task start` stops the site. With
 * `--stop-with-stdin` it stops when its standard input closes instead: `start.ts` watches the
 * launchers and gives the server one end of a pipe, which closes however `start.ts` ends.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { buildAssets } from "./assets.ts";
import { serveSite } from "./server.ts";
import { watchLaunchers } from "./_lifeline.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string" },
      hostname: { type: "string", default: "127.0.0.1" },
      "no-build": { type: "boolean", default: false },
      "stop-with-stdin": { type: "boolean", default: false },
    },
  });
  const port = Number(values.port ?? Deno.env.get("PORT") ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `Cannot listen on port ${
        values.port ?? Deno.env.get("PORT")
      }: expected an integer in [0, 65535]`,
    );
    Deno.exit(2);
  }
  // Ctrl-C and `kill` shut down gracefully (requests in flight finish, the private socket goes);
  // a second one does not wait. The same Ctrl-C arrives more than once, though: the terminal
  // sends it to every process of the job, and `deno task` and start.ts pass theirs on. So only a
  // signal a second or more after the first counts as a second one.
  const stop = new AbortController();
  let stopping = 0;
  const requestStop = () => {
    if (!stop.signal.aborted) {
      stopping = performance.now();
      stop.abort();
    } else if (performance.now() - stopping >= 1000) {
      Deno.exit(130);
    }
  };
  // SIGHUP too: the terminal went away.
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) Deno.addSignalListener(signal, requestStop);
  if (values["stop-with-stdin"]) {
    (async () => {
      for await (const _ of Deno.stdin.readable) {
        // Nothing is sent; only the end matters.
      }
      if (!stop.signal.aborted) console.error("Stopping: the process that started the site exited");
      requestStop();
    })();
  } else {
    // Nobody signals a server whose launcher was killed (npx does not tell `deno task`), so it
    // watches them itself.
    watchLaunchers((pid) => {
      console.error(`Stopping: process ${pid}, which started the site, has exited`);
      requestStop();
    }, { signal: stop.signal });
  }
  if (!values["no-build"]) {
    try {
      await buildAssets({ verbose: true });
    } catch (error) {
      // Ctrl-C reached the build's `deno bundle` too.
      if (!stop.signal.aborted) throw error;
    }
  }
  if (stop.signal.aborted) Deno.exit(0);
  let site;
  try {
    site = await serveSite({
      port,
      hostname: values.hostname,
      signal: stop.signal,
      onListen: ({ hostname, port }) => console.log(`nonlin docs on http://${hostname}:${port}/`),
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      console.error(
        `Cannot listen on ${values.hostname}:${port}: the port is in use. ` +
          `Choose another with --port=N or PORT=N (--port=0 picks a free one).`,
      );
      Deno.exit(1);
    }
    throw error;
  }
  await site.finished;
  Deno.exit(0);
}
