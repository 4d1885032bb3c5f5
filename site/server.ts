/**
 * The site's HTTP handler: pages from the route table, files from `static/` and the generated
 * assets, and a 404 page for anything else. Nothing outside those folders is reachable.
 *
 * Pages are rendered once and served from memory with an entity tag (gzipped for clients that
 * take it); a page that reads files (the benchmark and accuracy results) is rendered again when
 * one of them changes. {@linkcode serveSite} puts the handler behind a front that bounds how
 * long requests may take to arrive and how many connections may be open.
 *
 * @module
 */

import { BENCH_RESULTS, BUILD_DIR, STATIC_DIR, VERIFY_RESULTS } from "./_paths.ts";
import { type Front, type FrontOptions, serveFront } from "./_front.ts";
import { acceptsGzip, etagMatches, requestPath } from "./_http.ts";
import { KATEX_URL_PREFIX, katexDistDir } from "./_katex.ts";
import { resolveFile, safeSegments, serveFile } from "./_static.ts";
import { renderPage } from "./render.tsx";
import { matchRoute, type Route, type SiteContext } from "./routes.ts";
import { notFoundPage } from "./routes/_404.tsx";

export type { Front, FrontOptions } from "./_front.ts";

/** Options of {@linkcode createHandler}. */
export interface HandlerOptions {
  /** Folder served under `/static/`. @default {"site/static"} */
  staticDir?: string;
  /** Folder of generated assets: `islands/` under `/build/islands/`, `api/` under `/api/`. @default {"site/_build"} */
  buildDir?: string;
  /** Benchmark results file. @default {"bench/results/latest.json"} */
  benchResults?: string;
  /** Path of the accuracy verification's results (default `bench/results/verify.json`). */
  verifyResults?: string;
}

/** A request handler as `Deno.serve` takes it. */
export type Handler = (request: Request) => Promise<Response>;

/**
 * Headers on every response. Cross-origin isolation (COOP and COEP) lets the parallel demo share
 * memory between workers; the site loads nothing from other origins, so it costs nothing.
 */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/**
 * The content security policy of the pages the site renders. Scripts only from the site (the
 * island bundles; their props are JSON data blocks, never run), WebAssembly compiled from them
 * (the library's kernels), styles from the site plus inline ones (KaTeX and Plot position with
 * `style` attributes), fonts and images from the site. Files under `/api/` are `deno doc`'s own
 * HTML and are served without it.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** File names the bundler derives from content, safe to cache forever. */
const HASHED = /^chunk-[A-Z0-9]+\.js(\.map)?$/;

/**
 * Most pages kept in memory. The site has a few dozen; only paths that render a page are kept,
 * so this only guards against a route that one day accepts unbounded parameters.
 */
const MAX_CACHED_PAGES = 1000;

/** A page rendered once, as served: both encodings and their entity tags. */
interface RenderedPage {
  status: number;
  identity: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
  gzipEtag: string;
}

async function prepare(html: string, status: number): Promise<RenderedPage> {
  const identity = new TextEncoder().encode(html);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", identity));
  const tag = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  const gzip = new Uint8Array(
    await new Response(new Blob([identity]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  // Each encoding is its own representation, so each has its own strong tag.
  return { status, identity, gzip, etag: `"${tag}"`, gzipEtag: `"${tag}-gz"` };
}

/** What a page's input files look like now: any change to one changes this string. */
async function inputsSignature(paths: readonly string[]): Promise<string> {
  const parts = await Promise.all(paths.map(async (path) => {
    try {
      const info = await Deno.stat(path);
      return `${info.ino}:${info.size}:${info.mtime?.getTime()}`;
    } catch {
      return "missing";
    }
  }));
  return parts.join("|");
}

/**
 * Creates the site's request handler.
 *
 * @example Usage
 * ```ts ignore
 * import { createHandler } from "./server.ts";
 * Deno.serve(createHandler());
 * ```
 */
export function createHandler(options: HandlerOptions = {}): Handler {
  const staticDir = options.staticDir ?? STATIC_DIR;
  const buildDir = options.buildDir ?? BUILD_DIR;
  const context: SiteContext = {
    benchResults: options.benchResults ?? BENCH_RESULTS,
    verifyResults: options.verifyResults ?? VERIFY_RESULTS,
  };

  const mounts: { prefix: string; dir: () => string; immutable: (name: string) => boolean }[] = [
    { prefix: "/static/", dir: () => staticDir, immutable: () => false },
    { prefix: "/build/", dir: () => buildDir, immutable: (name) => HASHED.test(name) },
    { prefix: "/api/", dir: () => `${buildDir}/api`, immutable: () => false },
    // The version is part of the prefix, so the files under it never change.
    { prefix: KATEX_URL_PREFIX, dir: katexDistDir, immutable: () => true },
  ];

  // Each entry is a promise, so concurrent first requests for a page share one render.
  const pages = new Map<string, { signature: string; page: Promise<RenderedPage | null> }>();
  let notFoundRendered: Promise<RenderedPage> | undefined;

  async function cachedPage(
    path: string,
    route: Route,
    params: Record<string, string>,
  ): Promise<RenderedPage | null> {
    // Stat before rendering: a file changing in between makes the next request render again.
    const signature = await inputsSignature(route.inputs?.(context) ?? []);
    const hit = pages.get(path);
    if (hit?.signature === signature) return hit.page;
    const page = (async () => {
      const rendered = await route.render(params, context);
      return rendered && await prepare(renderPage(rendered, path), rendered.status ?? 200);
    })();
    const entry = { signature, page };
    if (pages.size < MAX_CACHED_PAGES || pages.has(path)) pages.set(path, entry);
    // Neither a missing page nor a failed render is kept: the next request tries afresh.
    const forget = () => {
      if (pages.get(path) === entry) pages.delete(path);
    };
    page.then((rendered) => rendered || forget(), forget);
    return page;
  }

  async function notFound(request: Request): Promise<Response> {
    if (!notFoundRendered) {
      notFoundRendered = prepare(renderPage(notFoundPage(), "/404"), 404);
      notFoundRendered.catch(() => notFoundRendered = undefined);
    }
    return respondPage(await notFoundRendered, request);
  }

  async function handle(request: Request): Promise<Response> {
    const pathname = requestPath(request);
    if (pathname === undefined) {
      return text("Bad request: malformed Host header or request target\n", 400);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method not allowed\n", {
        status: 405,
        headers: { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" },
      });
    }
    const head = request.method === "HEAD";
    const ifNoneMatch = request.headers.get("if-none-match");

    if (pathname === "/api") return redirect("/api/");
    // `/api/` itself is the site's own landing page for the reference that `deno doc` made.
    if (pathname === "/api/") return routePage(pathname, request);
    // Browsers ask for /favicon.ico on pages that name no icon (the API reference's).
    if (pathname === "/favicon.ico") {
      const file = await resolveFile(staticDir, ["favicon.svg"]);
      if (!file) return notFound(request);
      const response = await serveFile(file, { head, ifNoneMatch });
      response.headers.set("content-type", "image/svg+xml");
      return response;
    }
    for (const mount of mounts) {
      if (!pathname.startsWith(mount.prefix)) continue;
      const rest = pathname.slice(mount.prefix.length);
      const segments = safeSegments(rest);
      const file = segments && (await resolveFile(mount.dir(), segments));
      if (!file) return notFound(request);
      return serveFile(file, {
        head,
        ifNoneMatch,
        cache: mount.immutable(segments.at(-1) ?? "") ? "immutable" : "revalidate",
      });
    }

    return routePage(pathname, request);
  }

  async function routePage(pathname: string, request: Request): Promise<Response> {
    const match = matchRoute(pathname);
    if (!match) return notFound(request);
    const canonical = match.route.redirect?.(match.params);
    if (canonical !== undefined) return redirect(canonical);
    // `/compare/` and `/compare` are one page, kept once; `/api/` keeps its slash, since the
    // reference's relative links resolve against it.
    const path = pathname.length > 1 && pathname.endsWith("/") && pathname !== "/api/"
      ? pathname.slice(0, -1)
      : pathname;
    const page = await cachedPage(path, match.route, match.params);
    if (!page) return notFound(request);
    return respondPage(page, request);
  }

  return async (request) => {
    let response: Response;
    try {
      response = await handle(request);
    } catch (error) {
      console.error(error);
      response = html(
        "<!DOCTYPE html><title>Server error</title><h1>Server error</h1><p>The page failed to render.</p>",
        500,
        request.method === "HEAD",
      );
    }
    for (const [key, value] of Object.entries(COMMON_HEADERS)) response.headers.set(key, value);
    return response;
  };
}

/**
 * Serves the site on a TCP port: {@linkcode createHandler} behind the front of `_front.ts`,
 * which closes connections whose requests take longer than `requestTimeout` to arrive or that
 * sit idle for `idleTimeout`, and keeps at most `maxConnections` open.
 *
 * @example Usage
 * ```ts ignore
 * import { serveSite } from "./server.ts";
 * const site = await serveSite({ port: 0, onListen: ({ port }) => console.log(port) });
 * await site.shutdown();
 * ```
 */
export function serveSite(options: ServeSiteOptions = {}): Promise<Front> {
  return serveFront(createHandler(options), options);
}

/** Options of {@linkcode serveSite}: what to serve, where, and the front's limits. */
export interface ServeSiteOptions extends HandlerOptions, FrontOptions {}

/**
 * Answers with a rendered page: gzipped when the client takes it, 304 when the client's copy is
 * current. `no-cache` makes browsers ask each time; the entity tag makes asking cheap.
 */
function respondPage(page: RenderedPage, request: Request): Response {
  const gzip = acceptsGzip(request.headers.get("accept-encoding"));
  const headers = new Headers({
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-cache",
    vary: "accept-encoding",
    etag: gzip ? page.gzipEtag : page.etag,
    "content-security-policy": PAGE_CSP,
  });
  const fresh = page.status === 200 &&
    etagMatches(request.headers.get("if-none-match"), [page.etag, page.gzipEtag]);
  if (fresh) return new Response(null, { status: 304, headers });
  if (gzip) headers.set("content-encoding", "gzip");
  const body = gzip ? page.gzip : page.identity;
  headers.set("content-length", String(body.length));
  return new Response(request.method === "HEAD" ? null : body, { status: page.status, headers });
}

function html(body: string, status: number, head: boolean): Response {
  return new Response(head ? null : body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });
}

function text(body: string, status: number): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 301, headers: { location, "cache-control": "no-cache" } });
}
