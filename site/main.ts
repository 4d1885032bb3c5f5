/**
 * Serves the docs site: builds the browser assets, then listens.
 *
 * ```sh
 * deno run -A site/main.ts [--port=8000] [--hostname=127.0.0.1] [--no-build]
 * ```
 *
 * `PORT` in the environment works too. `--no-build` skips the asset build, for when
 * `site/_build/` is already current.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { buildAssets } from "./assets.ts";
import { serveSite } from "./server.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string" },
      hostname: { type: "string", default: "127.0.0.1" },
      "no-build": { type: "boolean", default: false },
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
  if (!values["no-build"]) await buildAssets({ verbose: true });
  // Ctrl-C and `kill` shut down gracefully (requests in flight finish, the private socket goes);
  // a second one does not wait.
  const stop = new AbortController();
  // SIGHUP too: the terminal (or the npx that started this) went away.
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) {
    Deno.addSignalListener(signal, () => stop.signal.aborted ? Deno.exit(130) : stop.abort());
  }
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
