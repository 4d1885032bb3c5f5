import assert from "node:assert/strict";
import { ACTIVATIONS } from "@nonlin/core";
import { KATEX_CSS_URL } from "./_katex.ts";
import { ROUTES } from "./routes.ts";
import { createHandler, type Handler } from "./server.ts";

/** A handler over temporary static and build folders, with a fake bundle and API page. */
async function fixture(bench?: unknown): Promise<{ handler: Handler; dir: string }> {
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
  const handler = createHandler({
    staticDir: `${dir}/static`,
    buildDir: `${dir}/build`,
    benchResults: `${dir}/latest.json`,
  });
  return { handler, dir };
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
    for (const path of ["/nope", "/activations/nope", "/activations/", "/static/", "/build/x.js"]) {
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
    assert.match(body, /<h2>forward<\/h2>/);
    assert.match(body, /<h2>backward<\/h2>/);
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
