import assert from "node:assert/strict";
import { ACTIVATIONS } from "@nonlin/core";
import { KATEX_CSS_URL } from "./_katex.ts";
import { ROUTES } from "./routes.ts";
import { createHandler, type Handler, type HandlerOptions, serveSite } from "./server.ts";

/** A handler over temporary static and build folders, with a fake bundle and API page. */
async function fixture(
  bench?: unknown,
): Promise<{ handler: Handler; dir: string; options: HandlerOptions }> {
  const dir = await Deno.makeTempDir({ prefix: "nonlin-site-test-" });
  await Deno.mkdir(`${dir}/static/img`, { recursive: true });
  await Deno.writeTextFile(`${dir}/static/styles.css`, "body{}");
  await Deno.writeTextFile(`${dir}/static/img/logo.svg`, "<svg/>");
  await Deno.writeTextFile(`${dir}/static/.hidden`, "secret");
  await Deno.writeTextFile(`${dir}/static/blob.xyz`, "??");
  await Deno.writeTextFile(`${dir}/secret.txt`, "outside");
  await Deno.symlink(`${dir}/secret.txt`, `${dir}/static/link.txt`);
  await Deno.mkdir(`${dir}/build/islands`, { recursive: true });
  await Deno.writeTextFile(`${dir}/build/islands/try_it.js`, "export {};");
  await Deno.writeTextFile(`${dir}/build/islands/chunk-ABC123.js`, "export {};");
  await Deno.mkdir(`${dir}/build/api`, { recursive: true });
  await Deno.writeTextFile(`${dir}/build/api/index.html`, "<!DOCTYPE html><title>API</title>");
  if (bench !== undefined) {
    await Deno.writeTextFile(
      `${dir}/latest.json`,
      typeof bench === "string" ? bench : JSON.stringify(bench),
    );
  }
  const options = {
    staticDir: `${dir}/static`,
    buildDir: `${dir}/build`,
    benchResults: `${dir}/latest.json`,
  };
  return { handler: createHandler(options), dir, options };
}

async function get(handler: Handler, path: string, init?: RequestInit): Promise<Response> {
  return await handler(new Request(`http://localhost${path}`, init));
}

Deno.test("createHandler() renders every route's every path as HTML", async () => {
  const { handler, dir } = await fixture();
  try {
    for (const route of ROUTES) {
      for (const path of route.paths()) {
        const response = await get(handler, path);
        const body = await response.text();
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
        assert.equal(response.headers.get("cache-control"), "no-cache");
        assert.match(body, /^<!DOCTYPE html><html lang="en">/);
        assert.match(body, /href="\/api\/"/, `${path} links the API reference`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() has a page for every registry entry with its formula", async () => {
  const { handler, dir } = await fixture();
  try {
    for (const info of ACTIVATIONS) {
      const body = await (await get(handler, `/activations/${info.name}`)).text();
      assert.ok(body.includes(`<h1>${info.title}</h1>`), info.name);
      assert.match(body, /class="katex/);
      assert.ok(body.includes(KATEX_CSS_URL));
      assert.ok(body.includes(`data-island="function_explorer"`));
      assert.ok(body.includes(`src="/build/islands/try_it.js"`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() accepts a trailing slash on pages", async () => {
  const { handler, dir } = await fixture();
  try {
    const response = await get(handler, "/compare/");
    await response.body?.cancel();
    assert.equal(response.status, 200);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() answers unknown routes with the 404 page", async () => {
  const { handler, dir } = await fixture();
  try {
    for (
      const path of ["/nope", "/activations/nope", "/activations/a/b", "/static/", "/build/x.js"]
    ) {
      const response = await get(handler, path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
      assert.match(await response.text(), /Page not found/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() refuses path traversal with 404", async () => {
  const { handler, dir } = await fixture();
  try {
    const attempts = [
      "/static/../deno.json",
      "/static/%2e%2e/deno.json",
      "/static/%2E%2E/%2E%2E/site/deno.json",
      "/static/..%2fsecret.txt",
      "/static/..%2Fsecret.txt",
      "/static/%2e%2e%2fsecret.txt",
      "/static/..%5csecret.txt",
      "/static//etc/passwd",
      "/static/%2fetc%2fpasswd",
      "/static/img/..%2f..%2fsecret.txt",
      "/static/.hidden",
      "/static/link.txt",
      "/static/styles.css%00.html",
      "/static/%zz",
      "/build/..%2f..%2fsecret.txt",
      "/api/..%2f..%2fsecret.txt",
      "/../secret.txt",
    ];
    for (const path of attempts) {
      const response = await get(handler, path);
      const body = await response.text();
      assert.equal(response.status, 404, path);
      assert.ok(!body.includes("outside") && !body.includes("secret\n"), path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() serves static files with their content type and validators", async () => {
  const { handler, dir } = await fixture();
  try {
    const cases: [string, string][] = [
      ["/static/styles.css", "text/css; charset=utf-8"],
      ["/static/img/logo.svg", "image/svg+xml"],
      ["/static/blob.xyz", "application/octet-stream"],
      ["/build/islands/try_it.js", "text/javascript; charset=utf-8"],
      ["/api/", "text/html; charset=utf-8"],
      [KATEX_CSS_URL, "text/css; charset=utf-8"],
    ];
    for (const [path, type] of cases) {
      const response = await get(handler, path);
      await response.body?.cancel();
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get("content-type"), type, path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.ok(response.headers.get("etag"), path);
    }
    const css = await get(handler, "/static/styles.css");
    assert.equal(await css.text(), "body{}");
    assert.equal(css.headers.get("cache-control"), "public, max-age=0, must-revalidate");
    const again = await get(handler, "/static/styles.css", {
      headers: { "if-none-match": css.headers.get("etag")! },
    });
    assert.equal(again.status, 304);
    assert.equal(again.body, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() lets browsers keep hashed chunks and versioned KaTeX forever", async () => {
  const { handler, dir } = await fixture();
  try {
    for (const path of ["/build/islands/chunk-ABC123.js", KATEX_CSS_URL]) {
      const response = await get(handler, path);
      await response.body?.cancel();
      assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
    }
    const entry = await get(handler, "/build/islands/try_it.js");
    await entry.body?.cancel();
    assert.equal(entry.headers.get("cache-control"), "public, max-age=0, must-revalidate");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() sends isolation headers so the demo can share memory", async () => {
  const { handler, dir } = await fixture();
  try {
    const response = await get(handler, "/parallel");
    await response.body?.cancel();
    assert.equal(response.headers.get("cross-origin-opener-policy"), "same-origin");
    assert.equal(response.headers.get("cross-origin-embedder-policy"), "require-corp");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() answers HEAD without a body and other methods with 405", async () => {
  const { handler, dir } = await fixture();
  try {
    const head = await get(handler, "/", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    const headFile = await get(handler, "/static/styles.css", { method: "HEAD" });
    assert.equal(headFile.headers.get("content-length"), "6");
    assert.equal(headFile.body, null);
    const post = await get(handler, "/", { method: "POST", body: "x" });
    await post.body?.cancel();
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() redirects /api to the API reference's index", async () => {
  const { handler, dir } = await fixture();
  try {
    const response = await get(handler, "/api");
    assert.equal(response.status, 301);
    assert.equal(response.headers.get("location"), "/api/");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() redirects an activation's other spellings to its page", async () => {
  const { handler, dir } = await fixture();
  try {
    for (
      const [path, location] of [
        ["/activations/leakyrelu", "/activations/leakyRelu"],
        ["/activations/LeakyReLU", "/activations/leakyRelu"],
        ["/activations/Swish", "/activations/silu"],
        ["/activations/GELU/", "/activations/gelu"],
      ]
    ) {
      const response = await get(handler, path);
      await response.body?.cancel();
      assert.equal(response.status, 301, path);
      assert.equal(response.headers.get("location"), location, path);
    }
    const page = await get(handler, "/activations/leakyRelu");
    await page.body?.cancel();
    assert.equal(page.status, 200);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() serves /api/ as a landing page that lists every activation", async () => {
  const { handler, dir } = await fixture();
  try {
    const response = await get(handler, "/api/");
    assert.equal(response.status, 200);
    const body = await response.text();
    for (const info of ACTIVATIONS) {
      assert.ok(body.includes(`href="/activations/${info.name}"`), info.name);
      assert.ok(body.includes(`href="/api/core/mod.ts/~/${info.className}.html"`), info.name);
    }
    assert.match(body, /import \{ gelu, GELU \} from &quot;@nonlin\/core&quot;/);
    assert.doesNotMatch(body, /core\/mod\.ts&quot;/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() shows 'no results yet' without a benchmark file", async () => {
  const { handler, dir } = await fixture();
  try {
    const body = await (await get(handler, "/benchmarks")).text();
    assert.match(body, /No results yet/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() charts the benchmark results by group", async () => {
  const { handler, dir } = await fixture({
    machine: "test box",
    date: "2026-01-01",
    results: [
      { name: "relu f32", group: "forward", nsPerElement: 0.5, spread: 0.02 },
      { name: "gelu f32", group: "forward", nsPerElement: 4 },
      { name: "gelu f32", group: "backward", nsPerElement: 6 },
    ],
  });
  try {
    const body = await (await get(handler, "/benchmarks")).text();
    assert.match(body, /test box/);
    assert.match(body, /<h2 id="group-forward">forward<\/h2>/);
    assert.match(body, /<h2 id="group-backward">backward<\/h2>/);
    assert.match(body, /<time datetime="2026-01-01">1 January 2026<\/time>/);
    assert.match(body, /href="#summary"/);
    assert.match(body, /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(body, /±0.02 ns/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() explains a malformed benchmark file instead of failing", async () => {
  const { handler, dir } = await fixture("{ not json");
  try {
    const response = await get(handler, "/benchmarks");
    assert.equal(response.status, 200);
    assert.match(await response.text(), /could not be read/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() ships no JavaScript on pages without islands", async () => {
  const { handler, dir } = await fixture();
  try {
    for (const path of ["/", "/benchmarks", "/nope"]) {
      const body = await (await get(handler, path)).text();
      assert.doesNotMatch(body, /<script/, path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() refuses raw, unnormalised traversal over real HTTP", async () => {
  const { handler, dir } = await fixture();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, handler);
  try {
    for (
      const path of [
        "/static/../secret.txt",
        "/static/../../deno.json",
        "/static/%2e%2e/secret.txt",
      ]
    ) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      await conn.write(
        new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      );
      const reply = new TextDecoder().decode(
        await new Response(conn.readable).arrayBuffer(),
      );
      assert.match(reply, /^HTTP\/1.1 404/, path);
      assert.ok(!reply.includes("outside"), path);
    }
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() serves pages with an entity tag, a CSP, and 304 for If-None-Match", async () => {
  const { handler, dir } = await fixture();
  try {
    const first = await get(handler, "/activations/gelu");
    const body = await first.text();
    const etag = first.headers.get("etag")!;
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.equal(first.headers.get("x-content-type-options"), "nosniff");
    assert.equal(first.headers.get("vary"), "accept-encoding");
    assert.match(
      first.headers.get("content-security-policy")!,
      /script-src 'self' 'wasm-unsafe-eval'/,
    );
    const again = await get(handler, "/activations/gelu/");
    assert.equal(await again.text(), body, "served from memory, the same bytes");
    assert.equal(again.headers.get("etag"), etag);
    const fresh = await get(handler, "/activations/gelu", { headers: { "if-none-match": etag } });
    assert.equal(fresh.status, 304);
    assert.equal(fresh.body, null);
    assert.equal(fresh.headers.get("etag"), etag);
    const stale = await get(handler, "/activations/gelu", { headers: { "if-none-match": '"x"' } });
    assert.equal(stale.status, 200);
    await stale.body?.cancel();
    const other = await get(handler, "/activations/relu", { headers: { "if-none-match": etag } });
    assert.equal(other.status, 200, "another page's tag does not match");
    await other.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() gzips pages for clients that accept it, with their own tag", async () => {
  const { handler, dir } = await fixture();
  try {
    const plain = await (await get(handler, "/")).text();
    const zipped = await get(handler, "/", { headers: { "accept-encoding": "gzip, br" } });
    assert.equal(zipped.headers.get("content-encoding"), "gzip");
    const etag = zipped.headers.get("etag")!;
    assert.match(etag, /-gz"$/);
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    assert.equal(Number(zipped.headers.get("content-length")), bytes.length);
    assert.ok(bytes.length < plain.length / 3, `${bytes.length} of ${plain.length} bytes`);
    const unzipped = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    assert.equal(await new Response(unzipped).text(), plain);
    const fresh = await get(handler, "/", {
      headers: { "accept-encoding": "gzip", "if-none-match": etag },
    });
    assert.equal(fresh.status, 304);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createHandler() renders the benchmarks page again when its results file changes", async () => {
  const results = (machine: string) => ({
    machine,
    date: "2026-01-01",
    results: [{ name: "relu f32", group: "forward", nsPerElement: 0.5 }],
  });
  const { handler, dir } = await fixture(results("first box"));
  try {
    const first = await get(handler, "/benchmarks");
    assert.match(await first.text(), /first box/);
    await Deno.writeTextFile(`${dir}/latest.json`, JSON.stringify(results("second machine")));
    const second = await get(handler, "/benchmarks");
    assert.match(await second.text(), /second machine/);
    assert.notEqual(second.headers.get("etag"), first.headers.get("etag"));
    await Deno.remove(`${dir}/latest.json`);
    assert.match(await (await get(handler, "/benchmarks")).text(), /No results yet/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Sends `request` as raw bytes on a new connection and reads until the server closes. */
async function exchange(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(request));
  return new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
}

/**
 * Milliseconds from now until the server closes `conn`, reading and discarding what it sends;
 * `Infinity` if it is still open after `patience` ms (then this closes it).
 */
async function closedAfter(conn: Deno.Conn, patience = 3000): Promise<number> {
  const t0 = performance.now();
  let gaveUp = false;
  const timer = setTimeout(() => {
    gaveUp = true;
    conn.close();
  }, patience);
  const buffer = new Uint8Array(4096);
  try {
    while ((await conn.read(buffer)) !== null) { /* discard */ }
  } catch {
    // A reset counts as closed.
  }
  const elapsed = performance.now() - t0;
  clearTimeout(timer);
  if (!gaveUp) conn.close();
  return gaveUp ? Infinity : elapsed;
}

/** Runs `fn` against the fixture served over real HTTP with short, test-sized limits. */
async function withSite(
  fn: (port: number, dir: string) => Promise<void>,
  limits: { requestTimeout?: number; idleTimeout?: number; maxConnections?: number } = {},
): Promise<void> {
  const { dir, options } = await fixture();
  const site = await serveSite({
    ...options,
    hostname: "127.0.0.1",
    port: 0,
    requestTimeout: 400,
    idleTimeout: 400,
    ...limits,
  });
  try {
    await fn(site.addr.port, dir);
  } finally {
    await site.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("serveSite() answers a malformed Host with a short 400 and logs nothing", async () => {
  const logged: unknown[] = [];
  const { error, warn, log } = console;
  console.error = console.warn = console.log = (...args: unknown[]) => logged.push(args);
  try {
    await withSite(async (port) => {
      for (const host of ["a b", "[::1", "a:99999", "a#b", "a\tb"]) {
        const reply = await exchange(
          port,
          `GET /x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        );
        assert.match(reply, /^HTTP\/1.1 400 /, host);
        assert.match(reply, /\r\ncontent-type: text\/plain; charset=utf-8\r\n/i, host);
        assert.match(reply, /\r\nx-content-type-options: nosniff\r\n/i, host);
        assert.ok(reply.split("\r\n\r\n")[1].length < 100, host);
      }
    });
  } finally {
    Object.assign(console, { error, warn, log });
  }
  assert.deepEqual(logged, []);
});

Deno.test("serveSite() routes by the request path alone: a Host with a path changes nothing", async () => {
  await withSite(async (port) => {
    const poisoned = await exchange(
      port,
      `GET /x HTTP/1.1\r\nHost: 127.0.0.1:${port}/static/styles.css?\r\nConnection: close\r\n\r\n`,
    );
    assert.doesNotMatch(poisoned, /^HTTP\/1.1 200/);
    assert.ok(!poisoned.includes("body{}"));
    // Any well-formed Host gets the same answer as any other.
    for (const host of ["example.com", `127.0.0.1:${port}`, "[::1]:80", ""]) {
      const page = await exchange(
        port,
        `GET /x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      assert.match(page, /^HTTP\/1.1 404 /, host);
      const css = await exchange(
        port,
        `GET /static/styles.css HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      assert.match(css, /^HTTP\/1.1 200 [^]*\r\n\r\nbody\{\}$/, host);
    }
  });
});

Deno.test("serveSite() drops clients that never finish their headers, within the limit", async () => {
  await withSite(async (port) => {
    const encoder = new TextEncoder();
    const connect = () => Deno.connect({ hostname: "127.0.0.1", port });
    // Silent, a half-sent head, a head dribbled one line every 100 ms, and a keep-alive
    // connection that sends one good request and then dribbles the next.
    const silent = await connect();
    const partial = await connect();
    await partial.write(encoder.encode("GET / HTTP/1.1\r\nHost: a\r\n"));
    const dribble = await connect();
    await dribble.write(encoder.encode("GET / HTTP/1.1\r\n"));
    const drip = setInterval(
      () => dribble.write(encoder.encode("X-A: b\r\n")).catch(() => {}),
      100,
    );
    const kept = await connect();
    await kept.write(encoder.encode("GET /static/styles.css HTTP/1.1\r\nHost: a\r\n\r\nGET / HT"));
    try {
      const closing = [silent, partial, dribble, kept].map((conn) => closedAfter(conn));
      // Meanwhile a normal request is answered at once.
      const normal = await fetch(`http://127.0.0.1:${port}/static/styles.css`);
      assert.equal(await normal.text(), "body{}");
      const times = await Promise.all(closing);
      for (const [i, ms] of times.entries()) {
        assert.ok(ms >= 200 && ms < 2000, `connection ${i} closed after ${ms.toFixed(0)} ms`);
      }
    } finally {
      clearInterval(drip);
    }
  });
});

Deno.test("serveSite() keeps a keep-alive client that behaves, and closes it once idle", async () => {
  await withSite(async (port) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const buffer = new Uint8Array(64 * 1024);
    // Six requests 150 ms apart: longer in all than either limit, never idle for one.
    for (let i = 0; i < 6; i++) {
      await conn.write(
        new TextEncoder().encode("GET /static/styles.css HTTP/1.1\r\nHost: a\r\n\r\n"),
      );
      let reply = "";
      while (!reply.endsWith("body{}")) {
        const n = await conn.read(buffer);
        assert.ok(n !== null, `request ${i} answered before close`);
        reply += new TextDecoder().decode(buffer.subarray(0, n));
      }
      assert.match(reply, /^HTTP\/1.1 200 /);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const ms = await closedAfter(conn);
    assert.ok(ms >= 100 && ms < 2000, `idle connection closed after ${ms.toFixed(0)} ms`);
  });
});

Deno.test("serveSite() bounds open connections, dropping the oldest that sent nothing", async () => {
  await withSite(async (port) => {
    const idle = await Promise.all(
      Array.from({ length: 3 }, () => Deno.connect({ hostname: "127.0.0.1", port })),
    );
    // Accepted in order, so the first is the oldest by the time the newcomer arrives.
    const oldest = closedAfter(idle[0]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reply = await exchange(
      port,
      "GET /static/styles.css HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    assert.match(reply, /^HTTP\/1.1 200 /);
    // Well before its 5 s deadline: it was dropped to make room.
    assert.ok((await oldest) < 2000, "the oldest silent connection made room");
    for (const conn of idle.slice(1)) conn.close();
  }, { requestTimeout: 5000, idleTimeout: 5000, maxConnections: 3 });
});

Deno.test("serveSite() answers bodies it cannot frame and oversized heads itself", async () => {
  await withSite(async (port) => {
    const chunked = await exchange(
      port,
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    assert.match(chunked, /^HTTP\/1.1 411 [^]*x-content-type-options: nosniff/);
    const huge = await exchange(
      port,
      `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"a".repeat(40_000)}\r\n\r\n`,
    );
    assert.match(huge, /^HTTP\/1.1 431 /);
    const bad = await exchange(port, "GET / HTTP/1.1\r\nHost : a\r\n\r\n");
    assert.match(bad, /^HTTP\/1.1 400 /);
    const sized = await exchange(
      port,
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /static/styles.css HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    assert.deepEqual(sized.match(/HTTP\/1.1 \d+/g), ["HTTP/1.1 405", "HTTP/1.1 200"]);
  });
});
