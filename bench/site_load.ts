/**
 * A bounded load test of the docs site: requests per second and latency of the home page, an
 * activation page and a static file, each under the same number of concurrent connections.
 *
 *     deno task bench:site [--connections 50] [--requests 2000] [--seconds 10]
 *
 * It starts the site (`site/main.ts --no-build`) in a child process on a free port of 127.0.0.1,
 * and only ever connects there. Each path gets a short warm-up, then `--requests` requests (or
 * fewer, if `--seconds` runs out first) from `--connections` keep-alive connections sending what
 * a browser sends (`Accept-Encoding: gzip, br`). The server runs in its own process, so the
 * client's work does not slow its event loop, though both share the machine's cores. Then it
 * stops the server and prints a markdown table; it writes no files.
 *
 * @module
 */

const PATHS = ["/", "/activations/gelu", "/static/styles.css"];
const WARM_UP = 20;

function flag(name: string, fallback: number, max: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`Cannot use --${name} ${Deno.args[i + 1]}: expected an integer in [1, ${max}]`);
    Deno.exit(2);
  }
  return value;
}

const connections = flag("connections", 50, 500);
const requests = flag("requests", 2000, 1_000_000);
const seconds = flag("seconds", 10, 300);

/** Starts the site and resolves with its base URL once it listens. */
async function startServer(): Promise<{ url: string; process: Deno.ChildProcess }> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "site/main.ts", "--hostname=127.0.0.1", "--port=0", "--no-build"],
    cwd: new URL("..", import.meta.url),
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const timeout = setTimeout(() => process.kill(), 60_000);
  try {
    for (;;) {
      const { value, done } = await lines.read();
      if (done) throw new Error("Cannot start the site: it exited before listening");
      seen += value;
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(seen);
      if (match) {
        // Keep draining its output so that it never blocks on a full pipe.
        (async () => {
          while (!(await lines.read()).done) { /* discard */ }
        })();
        return { url: `http://127.0.0.1:${match[1]}`, process };
      }
    }
  } finally {
    clearTimeout(timeout);
  }
}

interface Result {
  path: string;
  done: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

async function load(
  base: string,
  path: string,
  client: Deno.HttpClient,
  count: number,
  limitMs: number,
): Promise<Result> {
  const url = `${base}${path}`;
  const latencies: number[] = [];
  let started = 0, errors = 0;
  const t0 = performance.now();
  const deadline = t0 + limitMs;
  const worker = async () => {
    while (started < count && performance.now() < deadline) {
      started++;
      const t = performance.now();
      try {
        const response = await fetch(url, { client });
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return {
    path,
    done: latencies.length,
    errors,
    seconds: (performance.now() - t0) / 1000,
    latencies,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

const { url, process } = await startServer();
const results: Result[] = [];
try {
  using client = Deno.createHttpClient({ poolMaxIdlePerHost: connections, http2: false });
  for (const path of PATHS) {
    await load(url, path, client, WARM_UP, 10_000);
    results.push(await load(url, path, client, requests, seconds * 1000));
  }
} finally {
  process.kill("SIGTERM");
  await process.status;
}

const staticRate = (() => {
  const r = results.find((r) => r.path.startsWith("/static/"))!;
  return r.done / r.seconds;
})();
const lines = [
  `${connections} connections, up to ${requests} requests or ${seconds} s per path, on 127.0.0.1`,
  "",
  "| path | requests | errors | req/s | p50 ms | p99 ms | vs static |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const r of results) {
  const sorted = r.latencies.toSorted((a, b) => a - b);
  const rate = r.done / r.seconds;
  lines.push(
    `| ${r.path} | ${r.done} | ${r.errors} | ${rate.toFixed(0)} | ${
      percentile(sorted, 0.5).toFixed(1)
    } | ${percentile(sorted, 0.99).toFixed(1)} | ${(rate / staticRate).toFixed(2)} |`,
  );
}
console.log(lines.join("\n"));
